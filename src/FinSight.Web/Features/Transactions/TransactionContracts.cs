using FinSight.Domain;
using FinSight.Web.Data;
using FinSight.Web.Infrastructure;

namespace FinSight.Web.Features.Transactions;

/// <summary>
/// A transaction as clients send it. Which fields apply depends on <c>type</c>:
/// buy/sell: symbol, quantity, price, fees (optional); dividend: symbol, amount;
/// split: symbol, split_numerator, split_denominator (4 and 1 for a 4-for-1 split);
/// deposit, withdrawal, fee: amount; exchange: currency and amount sold, to_currency and to_amount
/// received. <c>currency</c> is the ISO 4217 code of the price, fees and amount (default: the
/// listing's currency for a symbol, else the portfolio's base currency); buys, sells and dividends may
/// settle in another currency's cash (<c>settlement_currency</c>, at <c>settlement_rate</c> units of it
/// per unit of <c>currency</c>, or the day's market rate when left out). A field that the type does not
/// use is an error, so nothing sent is silently ignored.
/// </summary>
public sealed record TransactionRequest(
    string? Type,
    string? Symbol,
    decimal? Quantity,
    decimal? Price,
    decimal? Fees,
    decimal? Amount,
    decimal? SplitNumerator,
    decimal? SplitDenominator,
    DateOnly? Date,
    string? Notes,
    Guid? PortfolioId,
    string? Currency = null,
    string? SettlementCurrency = null,
    decimal? SettlementRate = null,
    string? ToCurrency = null,
    decimal? ToAmount = null);

/// <summary>A validated transaction, ready to be stored.</summary>
public sealed record TransactionDraft(
    TransactionType Type, string? Symbol, decimal? Quantity, decimal? Price, decimal? Fees, decimal? Amount,
    decimal? SplitNumerator, decimal? SplitDenominator, DateOnly Date, string? Notes)
{
    /// <summary>ISO 4217 code of the amounts; null: the portfolio's base currency (filled in by <see cref="ApplyTo"/>).</summary>
    public string? Currency { get; init; }

    /// <summary>
    /// True when the request named no currency and <see cref="Currency"/> is only the exchange suffix's guess:
    /// the writer then uses the currency the symbol already trades in, or the one market data states
    /// (<see cref="Stocks.ListingCurrency"/>).
    /// </summary>
    public bool CurrencyFromSuffix { get; init; }

    /// <summary>Buy, sell, dividend: the cash's currency when not <see cref="Currency"/>.</summary>
    public string? SettlementCurrency { get; init; }

    /// <summary>Units of <see cref="SettlementCurrency"/> per unit of <see cref="Currency"/>; null for the market rate.</summary>
    public decimal? SettlementRate { get; init; }

    /// <summary>Exchange: the currency bought.</summary>
    public string? ToCurrency { get; init; }

    /// <summary>Exchange: the amount received.</summary>
    public decimal? ToAmount { get; init; }

    /// <summary>Upper bounds that keep every product of quantity and price far inside decimal's range.</summary>
    public const decimal MaxQuantity = 1_000_000_000_000m;
    public const decimal MaxPrice = 1_000_000_000m;
    public const decimal MaxAmount = 1_000_000_000_000m;
    public const int NotesMax = 500;
    private static readonly DateOnly Earliest = new(1900, 1, 1);

    public static TransactionDraft? Validate(TransactionRequest request, DateTimeOffset now, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(request.Type) || !Enum.TryParse<TransactionType>(request.Type.Trim(), ignoreCase: true, out var type)
            || !Enum.IsDefined(type) || int.TryParse(request.Type, out _))
        {
            errors.Add("type", "Must be one of: buy, sell, dividend, split, deposit, withdrawal, fee, exchange.");
            return null;
        }

        var date = ValidateDate(request.Date, now, errors);
        string? symbol = null;
        var usesSymbol = type is TransactionType.Buy or TransactionType.Sell or TransactionType.Dividend or TransactionType.Split;
        if (usesSymbol)
        {
            symbol = errors.RequireTicker("symbol", request.Symbol);
        }
        else
        {
            Forbid("symbol", request.Symbol, type, errors);
        }

        if (type is TransactionType.Buy or TransactionType.Sell)
        {
            Range("quantity", request.Quantity, errors, min: 0m, exclusiveMin: true, MaxQuantity);
            Range("price", request.Price, errors, min: 0m, exclusiveMin: false, MaxPrice);
            if (request.Fees is not null)
            {
                Range("fees", request.Fees, errors, min: 0m, exclusiveMin: false, MaxAmount);
            }
            Forbid("amount", request.Amount, type, errors);
        }
        else
        {
            Forbid("quantity", request.Quantity, type, errors);
            Forbid("price", request.Price, type, errors);
            Forbid("fees", request.Fees, type, errors);
        }

        if (type == TransactionType.Split)
        {
            Range("split_numerator", request.SplitNumerator, errors, 0m, exclusiveMin: true, 1_000_000m);
            Range("split_denominator", request.SplitDenominator, errors, 0m, exclusiveMin: true, 1_000_000m);
            Forbid("amount", request.Amount, type, errors);
        }
        else
        {
            Forbid("split_numerator", request.SplitNumerator, type, errors);
            Forbid("split_denominator", request.SplitDenominator, type, errors);
        }

        if (type is TransactionType.Dividend or TransactionType.Deposit or TransactionType.Withdrawal or TransactionType.Fee or TransactionType.Exchange)
        {
            Range("amount", request.Amount, errors, 0m, exclusiveMin: true, MaxAmount);
        }

        var currency = OptionalCurrency("currency", request.Currency, errors);
        var currencyFromSuffix = false;
        string? settlementCurrency = null;
        string? toCurrency = null;
        if (type is TransactionType.Split)
        {
            Forbid("currency", request.Currency, type, errors);
        }
        else if (currency is null && symbol is not null && !errors.Has("symbol"))
        {
            // A listing trades in its exchange's currency (VOD.L in pounds), a US ticker in dollars.
            currency = MarketData.Currencies.Exchanges.CurrencyOf(symbol);
            currencyFromSuffix = true;
        }

        if (type is TransactionType.Buy or TransactionType.Sell or TransactionType.Dividend)
        {
            settlementCurrency = OptionalCurrency("settlement_currency", request.SettlementCurrency, errors);
            if (request.SettlementRate is not null)
            {
                if (settlementCurrency is null)
                {
                    errors.Add("settlement_rate", "Give settlement_currency with a settlement rate.");
                }
                Range("settlement_rate", request.SettlementRate, errors, 0m, exclusiveMin: true, MaxPrice);
            }
        }
        else
        {
            Forbid("settlement_currency", request.SettlementCurrency, type, errors);
            Forbid("settlement_rate", request.SettlementRate, type, errors);
        }

        if (type is TransactionType.Exchange)
        {
            if (currency is null && !errors.Has("currency"))
            {
                errors.Add("currency", "An exchange needs the currency sold.");
            }
            toCurrency = OptionalCurrency("to_currency", request.ToCurrency, errors);
            if (toCurrency is null && !errors.Has("to_currency"))
            {
                errors.Add("to_currency", "An exchange needs the currency bought.");
            }
            else if (toCurrency is not null && toCurrency == currency)
            {
                errors.Add("to_currency", "Must differ from currency.");
            }
            Range("to_amount", request.ToAmount, errors, 0m, exclusiveMin: true, MaxAmount);
        }
        else
        {
            Forbid("to_currency", request.ToCurrency, type, errors);
            Forbid("to_amount", request.ToAmount, type, errors);
        }

        var notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim();
        if (notes is { Length: > NotesMax })
        {
            errors.Add("notes", $"Must be at most {NotesMax} characters.");
        }

        return errors.IsEmpty
            ? new TransactionDraft(type, symbol, request.Quantity, request.Price, request.Fees ?? (type is TransactionType.Buy or TransactionType.Sell ? 0m : null),
                request.Amount, request.SplitNumerator, request.SplitDenominator, date, notes)
            {
                Currency = currency,
                CurrencyFromSuffix = currencyFromSuffix,
                SettlementCurrency = settlementCurrency == currency ? null : settlementCurrency,
                SettlementRate = settlementCurrency == currency ? null : request.SettlementRate,
                ToCurrency = toCurrency,
                ToAmount = type is TransactionType.Exchange ? request.ToAmount : null,
            }
            : null;
    }

    private static string? OptionalCurrency(string field, string? value, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (!Domain.Currency.TryParse(value, out var currency))
        {
            errors.Add(field, Domain.Currency.Invalid(value));
            return null;
        }
        return currency.Code;
    }

    /// <summary>Writes the draft into <paramref name="record"/>; amounts without a currency are in <paramref name="baseCurrency"/>.</summary>
    public void ApplyTo(TransactionRecord record, string baseCurrency)
    {
        record.Currency = Currency ?? baseCurrency;
        record.SettlementCurrency = SettlementCurrency;
        record.SettlementRate = SettlementRate;
        record.ToCurrency = ToCurrency;
        record.ToAmount = ToAmount;
        record.Type = Type;
        record.Symbol = Symbol;
        record.Quantity = Quantity;
        record.Price = Price;
        record.Fees = Fees;
        record.Amount = Amount;
        record.SplitNumerator = SplitNumerator;
        record.SplitDenominator = SplitDenominator;
        record.Date = Date;
        record.Notes = Notes;
    }

    /// <summary>
    /// The latest trade date accepted: today where the day starts earliest (UTC+14), so nobody's
    /// "today" is rejected as future because of where the server runs.
    /// </summary>
    public static DateOnly LatestDate(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime.AddHours(14));

    internal static DateOnly ValidateDate(DateOnly? value, DateTimeOffset now, ValidationErrors errors, string field = "date")
    {
        if (value is not { } date)
        {
            errors.Add(field, "This field is required (YYYY-MM-DD).");
            return default;
        }
        if (date > LatestDate(now))
        {
            errors.Add(field, "Must not be in the future.");
        }
        else if (date < Earliest)
        {
            errors.Add(field, "Must be 1900-01-01 or later.");
        }
        return date;
    }

    internal static void Range(string field, decimal? value, ValidationErrors errors, decimal min, bool exclusiveMin, decimal max)
    {
        if (value is not { } v)
        {
            errors.Add(field, "This field is required.");
        }
        else if (exclusiveMin ? v <= min : v < min)
        {
            errors.Add(field, exclusiveMin ? $"Must be greater than {min}." : $"Must be {min} or more.");
        }
        else if (v > max)
        {
            errors.Add(field, $"Must be at most {max:#,0}.");
        }
    }

    private static void Forbid(string field, object? value, TransactionType type, ValidationErrors errors)
    {
        if (value is not null && value is not string { Length: 0 })
        {
            errors.Add(field, $"Not used by {type.ToString().ToLowerInvariant()} transactions; leave it out.");
        }
    }
}

/// <summary>A transaction as the API returns it.</summary>
/// <remarks><c>currency</c> is the currency of price, fees and amount (for an exchange, of the amount sold).</remarks>
public sealed record TransactionResponse(
    Guid Id, Guid PortfolioId, TransactionType Type, string? Symbol, decimal? Quantity, decimal? Price, decimal? Fees,
    decimal? Amount, decimal? SplitNumerator, decimal? SplitDenominator, DateOnly Date, string? Notes,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Currency = null, string? SettlementCurrency = null,
    decimal? SettlementRate = null, string? ToCurrency = null, decimal? ToAmount = null)
{
    public static TransactionResponse From(TransactionRecord r) => new(
        Id: r.Id, PortfolioId: r.PortfolioId, Type: r.Type, Symbol: r.Symbol, Quantity: r.Quantity, Price: r.Price, Fees: r.Fees,
        Amount: r.Amount, SplitNumerator: r.SplitNumerator, SplitDenominator: r.SplitDenominator, Date: r.Date, Notes: r.Notes,
        CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Currency: r.Type == TransactionType.Split ? null : r.Currency,
        SettlementCurrency: r.SettlementCurrency, SettlementRate: r.SettlementRate, ToCurrency: r.ToCurrency, ToAmount: r.ToAmount);
}

public sealed record TransactionPage(IReadOnlyList<TransactionResponse> Items, int Total, int Offset, int Limit);
