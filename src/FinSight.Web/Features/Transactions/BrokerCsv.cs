using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FinSight.Domain;

namespace FinSight.Web.Features.Transactions;

/// <summary>
/// Reads brokers' transaction exports (Fidelity, Schwab, Robinhood and look-alikes) into FinSight
/// transactions: columns found by their usual names or an explicit mapping, action words turned
/// into transaction types, and the brokers' number and date habits ($1,234.50, (12.00) for
/// negatives, sells with negative quantities, 08/15/2024 and "08/15/2024 as of 08/14/2024").
/// Whatever cannot be understood is an error on its line, never a guess and never a skip.
/// </summary>
public static partial class BrokerCsv
{
    /// <summary>Fields a mapping may name: FinSight's columns plus "ratio" (a split written as 4:1).</summary>
    public static readonly IReadOnlyList<string> MappableFields = [.. TransactionCsv.Columns, "ratio"];

    /// <summary>
    /// Header names, compared lower-case with everything but letters and digits removed ("Price ($)"
    /// is "price"), in order of preference: a trade date beats a settlement date.
    /// </summary>
    internal static readonly (string Field, string[] Names)[] Aliases =
    [
        ("date", ["date", "tradedate", "transactiondate", "activitydate", "rundate", "datetime", "settlementdate", "settledate", "processdate"]),
        ("type", ["type", "action", "transactiontype", "activity", "activitytype", "transcode", "side"]),
        ("symbol", ["symbol", "ticker", "tickersymbol", "instrument"]),
        ("quantity", ["quantity", "qty", "shares", "units"]),
        ("price", ["price", "tradeprice", "pricepershare", "shareprice", "unitprice"]),
        ("fees", ["fees", "fee", "commission", "commissions", "feescomm", "feescommissions", "feesandcommissions", "commissionsandfees", "commfee"]),
        ("amount", ["amount", "netamount", "totalamount", "netcashamount", "total"]),
        ("split_numerator", ["splitnumerator"]),
        ("split_denominator", ["splitdenominator"]),
        ("ratio", ["ratio", "splitratio"]),
        ("notes", ["notes", "note", "memo", "comment", "comments", "description"]),
        ("currency", ["currency", "ccy", "tradecurrency", "transactioncurrency", "pricecurrency", "currencycode", "currencyprice"]),
    ];

    private enum Kind { Buy, Sell, Dividend, Split, Deposit, Withdrawal, Fee, CashTransfer }

    /// <summary>
    /// Action words, upper-case with punctuation as spaces. The longest phrase that starts the
    /// action wins, so "REINVEST DIVIDEND" is a dividend while "REINVEST SHARES" is a buy.
    /// A cash transfer is a deposit or a withdrawal by the sign of its amount.
    /// </summary>
    private static readonly (string Phrase, Kind Kind)[] Actions =
    [
        ("BUY", Kind.Buy), ("BOUGHT", Kind.Buy), ("YOU BOUGHT", Kind.Buy), ("MARKET BUY", Kind.Buy), ("LIMIT BUY", Kind.Buy),
        ("PURCHASE", Kind.Buy), ("REINVESTMENT", Kind.Buy), ("REINVEST SHARES", Kind.Buy),
        ("SELL", Kind.Sell), ("SOLD", Kind.Sell), ("YOU SOLD", Kind.Sell), ("MARKET SELL", Kind.Sell), ("LIMIT SELL", Kind.Sell), ("SALE", Kind.Sell),
        ("DIVIDEND", Kind.Dividend), ("DIV", Kind.Dividend), ("CDIV", Kind.Dividend), ("QUALIFIED DIVIDEND", Kind.Dividend),
        ("NON QUALIFIED DIVIDEND", Kind.Dividend), ("NON QUALIFIED DIV", Kind.Dividend), ("CASH DIVIDEND", Kind.Dividend),
        ("SPECIAL DIVIDEND", Kind.Dividend), ("SPECIAL QUAL DIV", Kind.Dividend), ("REINVEST DIVIDEND", Kind.Dividend),
        ("QUAL DIV REINVEST", Kind.Dividend), ("PR YR DIV REINVEST", Kind.Dividend), ("PR YR CASH DIV", Kind.Dividend),
        ("SPLIT", Kind.Split), ("STOCK SPLIT", Kind.Split), ("SPL", Kind.Split), ("FORWARD SPLIT", Kind.Split), ("REVERSE SPLIT", Kind.Split),
        ("DEPOSIT", Kind.Deposit), ("ACH DEPOSIT", Kind.Deposit), ("CASH DEPOSIT", Kind.Deposit), ("WIRE DEPOSIT", Kind.Deposit),
        ("CONTRIBUTION", Kind.Deposit), ("CONTRIBUTIONS", Kind.Deposit), ("ELECTRONIC FUNDS TRANSFER RECEIVED", Kind.Deposit),
        ("WIRE FUNDS RECEIVED", Kind.Deposit), ("WIRE RECEIVED", Kind.Deposit),
        ("WITHDRAWAL", Kind.Withdrawal), ("WITHDRAW", Kind.Withdrawal), ("ACH WITHDRAWAL", Kind.Withdrawal), ("CASH WITHDRAWAL", Kind.Withdrawal),
        ("WIRE WITHDRAWAL", Kind.Withdrawal), ("WIRE FUNDS", Kind.Withdrawal), ("ELECTRONIC FUNDS TRANSFER PAID", Kind.Withdrawal),
        ("DISBURSEMENT", Kind.Withdrawal),
        ("FEE", Kind.Fee), ("FEES", Kind.Fee), ("FEE CHARGED", Kind.Fee), ("SERVICE FEE", Kind.Fee), ("ACCOUNT FEE", Kind.Fee),
        ("ADR MGMT FEE", Kind.Fee), ("ADR FEE", Kind.Fee), ("MARGIN INTEREST", Kind.Fee),
        ("ACH", Kind.CashTransfer), ("TRANSFER", Kind.CashTransfer), ("MONEYLINK TRANSFER", Kind.CashTransfer),
        ("FUNDS TRANSFER", Kind.CashTransfer), ("CASH TRANSFER", Kind.CashTransfer), ("JOURNAL", Kind.CashTransfer), ("WIRE", Kind.CashTransfer),
    ];

    private const int HeaderSearchDepth = 10;
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "M/d/yyyy", "M/d/yy", "yyyy/M/d", "yyyyMMdd"];

    internal static CsvParseResult Parse(List<CsvRecord> records, IReadOnlyDictionary<string, string>? mapping, DateTimeOffset now)
    {
        // Some brokers put an account banner above the header, so look a few records down for it.
        Columns? map = null;
        var headerIndex = 0;
        for (; headerIndex < Math.Min(HeaderSearchDepth, records.Count); headerIndex++)
        {
            map = Columns.Resolve(records[headerIndex].Fields, mapping);
            if (map is not null)
            {
                break;
            }
        }
        if (map is null)
        {
            throw NoHeader(records[0], mapping);
        }
        var header = records[headerIndex];

        // A trailing disclaimer or "Transactions Total" line has no action and no date: it is not a row.
        var end = records.Count;
        var skipped = new List<int>();
        while (end > headerIndex + 1 && records[end - 1] is var last
            && Cell(last, map.Type) is null && (Cell(last, map.Date) is not { } d || !TryParseDate(d, out _)))
        {
            skipped.Insert(0, last.Line);
            end--;
        }
        var rowCount = end - headerIndex - 1;
        TransactionCsv.CheckRowCount(rowCount, header.Line);

        var result = new CsvParseResultBuilder();
        for (var i = headerIndex + 1; i < end; i++)
        {
            ParseRow(records[i], header.Fields.Count, map, now, result);
        }
        return result.Build("broker", header.Line, rowCount, map.Ignored, skipped);
    }

    private static void ParseRow(CsvRecord record, int width, Columns map, DateTimeOffset now, CsvParseResultBuilder result)
    {
        var line = record.Line;
        if (record.Fields.Skip(width).Any(f => !string.IsNullOrWhiteSpace(f)))
        {
            result.Errors.Add(new CsvRowError(line, null, $"Has {record.Fields.Count} values but the header has {width}."));
            return;
        }
        var errors = new List<CsvRowError>();
        decimal? Number(string field, int? column)
        {
            if (Cell(record, column) is not { } text)
            {
                return null;
            }
            if (TryParseNumber(text, out var value))
            {
                return value;
            }
            errors.Add(new CsvRowError(line, field, $"'{text}' is not a number."));
            return null;
        }

        DateOnly? date = null;
        if (Cell(record, map.Date) is { } dateText)
        {
            if (TryParseDate(dateText, out var parsed))
            {
                date = parsed;
            }
            else
            {
                errors.Add(new CsvRowError(line, "date", $"'{dateText}' is not a date (YYYY-MM-DD, M/D/YYYY or 'M/D/YYYY as of M/D/YYYY')."));
            }
        }

        var action = Cell(record, map.Type);
        var kind = action is null ? null : Classify(action);
        if (action is not null && kind is null)
        {
            errors.Add(new CsvRowError(line, "type",
                $"The action '{action}' is not understood. FinSight records buy, sell, dividend, split, deposit, withdrawal and fee: "
                + "change the row's action to one of those or remove the row."));
        }

        var quantity = Number("quantity", map.Quantity);
        var price = Number("price", map.Price);
        var amount = Number("amount", map.Amount);
        decimal? fees = null;
        foreach (var column in map.Fees)
        {
            if (Number("fees", column) is { } fee)
            {
                fees = (fees ?? 0m) + fee;
            }
        }
        var numerator = Number("split_numerator", map.SplitNumerator);
        var denominator = Number("split_denominator", map.SplitDenominator);
        if (numerator is null && denominator is null && Cell(record, map.Ratio) is { } ratio)
        {
            if (TryParseRatio(ratio, out var n, out var dn))
            {
                (numerator, denominator) = (n, dn);
            }
            else
            {
                errors.Add(new CsvRowError(line, "ratio", $"'{ratio}' is not a split ratio such as 4:1 or 1-for-10."));
            }
        }

        if (kind == Kind.CashTransfer)
        {
            kind = amount switch
            {
                > 0m => Kind.Deposit,
                < 0m => Kind.Withdrawal,
                _ => null,
            };
            if (kind is null && !errors.Exists(e => e.Field == "amount"))
            {
                errors.Add(new CsvRowError(line, "amount", $"'{action}' is a cash transfer: its amount's sign (+ in, - out) says whether it is a deposit or a withdrawal."));
            }
        }

        // Brokers fill in columns FinSight derives (a buy's net amount) or sign outflows negative;
        // keep only what the type uses, with the sign FinSight expects.
        TransactionRequest request = kind switch
        {
            Kind.Buy => new("buy", Cell(record, map.Symbol), quantity, price, Abs(fees), null, null, null, date, Notes(record, map), null),
            Kind.Sell => new("sell", Cell(record, map.Symbol), Abs(quantity), price, Abs(fees), null, null, null, date, Notes(record, map), null),
            Kind.Dividend => new("dividend", Cell(record, map.Symbol), null, null, null, amount, null, null, date, Notes(record, map), null),
            Kind.Split => new("split", Cell(record, map.Symbol), null, null, null, null, numerator, denominator, date, Notes(record, map), null),
            Kind.Deposit => new("deposit", null, null, null, null, amount, null, null, date, Notes(record, map), null),
            Kind.Withdrawal => new("withdrawal", null, null, null, null, Abs(amount), null, null, date, Notes(record, map), null),
            Kind.Fee => new("fee", null, null, null, null, Abs(amount), null, null, date, Notes(record, map), null),
            _ => new(null, null, null, null, null, null, null, null, date, null, null),
        };
        if (Cell(record, map.Currency) is { } currencyCell)
        {
            // Brokers that trade London list prices in pence (GBX, GBp): FinSight keeps pounds.
            if (Domain.Currency.FromQuote(currencyCell, out var major, out var divisor) && divisor != 1)
            {
                request = request with { Currency = major.Code, Price = request.Price / divisor };
            }
            else
            {
                request = request with { Currency = currencyCell };
            }
        }
        if (kind is null && action is null)
        {
            errors.Add(new CsvRowError(line, "type", "This field is required."));
        }
        else if (kind is null)
        {
            // The type is already reported; the validator would only add "must be one of".
            result.Errors.AddRange(errors);
            return;
        }
        TransactionCsv.Validate(line, request, errors, now, result);
    }

    private static string? Notes(CsvRecord record, Columns map) => TransactionCsv.UnguardFormula(Cell(record, map.Notes));

    private static decimal? Abs(decimal? value) => value is { } v ? Math.Abs(v) : null;

    private static string? Cell(CsvRecord record, int? column) =>
        column is { } i && i < record.Fields.Count && !string.IsNullOrWhiteSpace(record.Fields[i]) ? record.Fields[i].Trim() : null;

    private static Kind? Classify(string action)
    {
        var words = string.Join(' ', NonAlphanumeric().Split(action.ToUpperInvariant()).Where(w => w.Length > 0));
        Kind? best = null;
        var bestLength = 0;
        foreach (var (phrase, kind) in Actions)
        {
            var matches = words == phrase || words.StartsWith(phrase + " ", StringComparison.Ordinal);
            if (matches && phrase.Length > bestLength)
            {
                (best, bestLength) = (kind, phrase.Length);
            }
        }
        return best;
    }

    /// <summary>Accepts $1,234.56, -$1,234.56, $-1,234.56, (1,234.56), +12 and plain 1234.5; thousands separators only in groups of three.</summary>
    internal static bool TryParseNumber(string text, out decimal value)
    {
        value = 0m;
        var s = text.Trim();
        if (s is "-" or "--")
        {
            return false;
        }
        var negative = false;
        if (s.Length > 2 && s[0] == '(' && s[^1] == ')')
        {
            negative = true;
            s = s[1..^1].Trim();
        }
        var match = MoneyShape().Match(s);
        if (!match.Success || !decimal.TryParse(match.Groups["digits"].Value.Replace(",", "", StringComparison.Ordinal),
                NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }
        negative ^= match.Groups["sign1"].Value == "-";
        negative ^= match.Groups["sign2"].Value == "-";
        value = negative ? -value : value;
        return true;
    }

    /// <summary>ISO or US dates, with any time of day dropped; "X as of Y" is the trade dated Y.</summary>
    internal static bool TryParseDate(string text, out DateOnly date)
    {
        var s = text.Trim();
        var asOf = s.IndexOf(" as of ", StringComparison.OrdinalIgnoreCase);
        if (asOf >= 0)
        {
            s = s[(asOf + " as of ".Length)..].Trim();
        }
        var end = s.IndexOfAny([' ', ',', 'T']);
        if (end > 0)
        {
            s = s[..end];
        }
        return DateOnly.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    internal static bool TryParseRatio(string text, out decimal numerator, out decimal denominator)
    {
        var match = RatioShape().Match(text.Trim());
        numerator = denominator = 0m;
        return match.Success
            && decimal.TryParse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out numerator)
            && decimal.TryParse(match.Groups["d"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out denominator);
    }

    internal static string Normalize(string header) => NonAlphanumeric().Replace(header.ToLowerInvariant(), "");

    private static CsvFormatException NoHeader(CsvRecord first, IReadOnlyDictionary<string, string>? mapping)
    {
        var found = string.Join(", ", first.Fields.Select(f => $"'{f.Trim()}'"));
        var names = new StringBuilder();
        foreach (var (field, aliases) in Aliases.Where(a => a.Field is "date" or "type"))
        {
            names.Append(CultureInfo.InvariantCulture, $" {field}: {string.Join(", ", aliases)}.");
        }
        var why = mapping is null
            ? $"No header line names a date and a type (action) column. Line {first.Line} has {found}. Recognised names (ignoring case and punctuation):{names}"
            : $"No header line has every column the mapping names together with a date and a type column. Line {first.Line} has {found}.";
        return new CsvFormatException(
            why + " Pass mapping={\"date\":\"<your date column>\",\"type\":\"<your action column>\",...} to name them.", first.Line);
    }

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex NonAlphanumeric();

    [GeneratedRegex(@"^(?<sign1>[+-]?)\s*(?:\$|USD)?\s*(?<sign2>[+-]?)(?<digits>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:\s*USD)?$")]
    private static partial Regex MoneyShape();

    [GeneratedRegex(@"^(?<n>\d+(?:\.\d+)?)\s*(?::|/|-for-|\s+for\s+)\s*(?<d>\d+(?:\.\d+)?)$", RegexOptions.IgnoreCase)]
    private static partial Regex RatioShape();

    /// <summary>Which column holds each field, from aliases and the caller's mapping.</summary>
    private sealed class Columns
    {
        public int? Date { get; private set; }
        public int? Type { get; private set; }
        public int? Symbol { get; private set; }
        public int? Quantity { get; private set; }
        public int? Price { get; private set; }
        public List<int> Fees { get; } = [];
        public int? Amount { get; private set; }
        public int? SplitNumerator { get; private set; }
        public int? SplitDenominator { get; private set; }
        public int? Ratio { get; private set; }
        public int? Notes { get; private set; }
        public int? Currency { get; private set; }
        public List<string> Ignored { get; } = [];

        /// <summary>The columns of a header line, or null when it is not one (no date or type column, or a mapped column missing).</summary>
        public static Columns? Resolve(IReadOnlyList<string> header, IReadOnlyDictionary<string, string>? mapping)
        {
            var normalized = header.Select(Normalize).ToList();
            var chosen = new Dictionary<string, List<int>>();
            foreach (var (field, names) in Aliases)
            {
                var matches = names.Select(n => normalized.IndexOf(n)).Where(i => i >= 0).ToList();
                if (matches.Count > 0)
                {
                    // Fees add up (Fidelity has both "Commission ($)" and "Fees ($)"); other fields take the preferred name.
                    chosen[field] = field == "fees" ? matches : [matches[0]];
                }
            }
            foreach (var (field, column) in mapping ?? new Dictionary<string, string>())
            {
                var index = FindColumn(header, column);
                if (index < 0)
                {
                    return null;
                }
                chosen[field] = [index];
            }
            if (!chosen.ContainsKey("date") || !chosen.ContainsKey("type"))
            {
                return null;
            }

            int? One(string field) => chosen.TryGetValue(field, out var c) ? c[0] : null;
            var map = new Columns
            {
                Date = One("date"), Type = One("type"), Symbol = One("symbol"), Quantity = One("quantity"), Price = One("price"),
                Amount = One("amount"), SplitNumerator = One("split_numerator"), SplitDenominator = One("split_denominator"),
                Ratio = One("ratio"), Notes = One("notes"), Currency = One("currency"),
            };
            map.Fees.AddRange(chosen.GetValueOrDefault("fees") ?? []);
            var used = chosen.Values.SelectMany(c => c).ToHashSet();
            map.Ignored.AddRange(header.Where((name, i) => !used.Contains(i) && !string.IsNullOrWhiteSpace(name)).Select(n => n.Trim()));
            return map;
        }

        private static int FindColumn(IReadOnlyList<string> header, string name)
        {
            for (var i = 0; i < header.Count; i++)
            {
                if (string.Equals(header[i].Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
            var normalized = Normalize(name);
            return header.Select(Normalize).ToList().IndexOf(normalized);
        }
    }
}
