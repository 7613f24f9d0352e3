namespace FinSight.Domain;

/// <summary>
/// Daily exchange rates into one base currency: for each other currency, how many units of the base
/// one unit of it buys on each date (EUR base: USD 0.90 means 1 USD = 0.90 EUR). Immutable.
/// </summary>
/// <remarks>
/// <para>Each currency's rates are a <see cref="PriceSeries"/> whose symbol is the currency code;
/// lookups carry the last rate forward over weekends and holidays, as closes do. The base currency
/// itself is always 1.</para>
/// <para>A rate needed before a currency's first rate is missing, never guessed:
/// <see cref="Rate"/> throws <see cref="MissingExchangeRateException"/>.</para>
/// </remarks>
public sealed class ExchangeRates
{
    private readonly Dictionary<string, PriceSeries> series = new(StringComparer.Ordinal);
    private readonly bool unvalued;

    /// <summary>Creates the rates.</summary>
    /// <param name="baseCurrency">The currency every amount is expressed in.</param>
    /// <param name="rates">Per other currency, its value in <paramref name="baseCurrency"/> by date (symbol = currency code).</param>
    /// <exception cref="ArgumentException">A series is not named by a currency code, or two name the same one.</exception>
    public ExchangeRates(Currency baseCurrency, IEnumerable<PriceSeries>? rates = null)
    {
        if (baseCurrency == default)
        {
            throw new ArgumentException("A base currency is required.", nameof(baseCurrency));
        }

        BaseCurrency = baseCurrency;
        foreach (var s in rates ?? [])
        {
            var code = Currency.Parse(s.Symbol, nameof(rates)).Code;
            if (code == baseCurrency.Code)
            {
                continue;
            }

            if (!series.TryAdd(code, s))
            {
                throw new ArgumentException($"Two rate series for {code}.", nameof(rates));
            }
        }
    }

    private ExchangeRates(Currency baseCurrency, bool unvalued)
        : this(baseCurrency) => this.unvalued = unvalued;

    /// <summary>USD base and no other rates: what a history that names no currency uses.</summary>
    public static ExchangeRates UsdOnly { get; } = new(Currency.Usd);

    /// <summary>
    /// Rates of 1 for every currency. Only for checking that a history replays (quantities, dates,
    /// currencies of each symbol), never for a figure anyone sees.
    /// </summary>
    /// <param name="baseCurrency">The base currency.</param>
    /// <returns>The placeholder rates.</returns>
    public static ExchangeRates Unvalued(Currency baseCurrency) => new(baseCurrency, unvalued: true);

    /// <summary>The currency amounts are converted into.</summary>
    public Currency BaseCurrency { get; }

    /// <summary>The currencies with a rate series (the base excluded).</summary>
    public IReadOnlyCollection<string> Currencies => series.Keys;

    /// <summary>The value of one unit of <paramref name="currency"/> in the base currency on <paramref name="date"/> (the last rate on or before it).</summary>
    /// <param name="currency">A currency code.</param>
    /// <param name="date">The date.</param>
    /// <returns>The rate, &gt; 0; exactly 1 for the base currency.</returns>
    /// <exception cref="MissingExchangeRateException">No rate on or before <paramref name="date"/>.</exception>
    public decimal Rate(string currency, DateOnly date) =>
        TryGetRate(currency, date, out var rate) ? rate : throw new MissingExchangeRateException(currency, BaseCurrency.Code, date);

    /// <summary>As <see cref="Rate"/>, without throwing.</summary>
    /// <param name="currency">A currency code.</param>
    /// <param name="date">The date.</param>
    /// <param name="rate">The rate, or 0.</param>
    /// <returns>Whether a rate exists on or before <paramref name="date"/>.</returns>
    public bool TryGetRate(string currency, DateOnly date, out decimal rate)
    {
        rate = 0m;
        if (currency == BaseCurrency.Code || unvalued)
        {
            rate = 1m;
            return true;
        }

        if (!series.TryGetValue(currency, out var s))
        {
            return false;
        }

        var i = s.IndexOnOrBefore(date);
        if (i < 0)
        {
            return false;
        }

        rate = s.Closes[i];
        return true;
    }
}

/// <summary>An amount in a currency that has no exchange rate into the base currency on its date.</summary>
public sealed class MissingExchangeRateException : PortfolioException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="currency">The currency without a rate.</param>
    /// <param name="baseCurrency">The base currency.</param>
    /// <param name="date">The date a rate was needed for.</param>
    public MissingExchangeRateException(string currency, string baseCurrency, DateOnly date)
        : base($"No {currency}/{baseCurrency} exchange rate on or before {date:yyyy-MM-dd}.", date, null)
    {
        Currency = currency;
        BaseCurrency = baseCurrency;
    }

    /// <summary>The currency without a rate.</summary>
    public string Currency { get; }

    /// <summary>The base currency.</summary>
    public string BaseCurrency { get; }
}

/// <summary>
/// How a trade or dividend in one currency moved cash in another: a buy of a USD stock paid from EUR
/// cash, a USD dividend paid into EUR cash. The cash moved is the amount × <see cref="Rate"/>.
/// </summary>
public sealed record Settlement
{
    /// <summary>Creates a settlement.</summary>
    /// <param name="currency">The currency of the cash that moved.</param>
    /// <param name="rate">
    /// Units of <paramref name="currency"/> per unit of the transaction's currency as stated by the
    /// broker (&gt; 0), or null for that day's market rate.
    /// </param>
    public Settlement(Currency currency, decimal? rate = null)
    {
        if (currency == default)
        {
            throw new ArgumentException("A settlement currency is required.", nameof(currency));
        }

        if (rate is <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "An exchange rate must be greater than zero.");
        }

        Currency = currency;
        Rate = rate;
    }

    /// <summary>The currency of the cash that moved.</summary>
    public Currency Currency { get; }

    /// <summary>Units of <see cref="Currency"/> per unit of the transaction's currency; null for the market rate of the day.</summary>
    public decimal? Rate { get; }
}
