using System.Globalization;
using CsvHelper;
using FinSight.Web.Data;
using FinSight.Web.Infrastructure;

namespace FinSight.Web.Features.Transactions;

public enum CsvFormat
{
    /// <summary>The FinSight format when the header is exactly FinSight's columns, else a broker's export read by column aliases.</summary>
    Auto,

    /// <summary>Only the FinSight format, read strictly.</summary>
    FinSight,
}

/// <summary>What is wrong with one row (line is the 1-based file line; null when it concerns the whole import).</summary>
public sealed record CsvRowError(int? Line, string? Field, string Message);

/// <summary>A data row that passed the JSON API's own validation.</summary>
public sealed record CsvDraftRow(int Line, TransactionDraft Draft);

/// <summary>Every data row of a file, validated: drafts for good rows, errors for the rest.</summary>
public sealed record CsvParseResult(
    string Format, int HeaderLine, int RowCount, List<CsvDraftRow> Rows, List<CsvRowError> Errors,
    IReadOnlyList<string> IgnoredColumns, IReadOnlyList<int> SkippedLines);

/// <summary>
/// The FinSight CSV format: the header below, one transaction per row, ISO dates, invariant
/// numbers (dot decimals, no thousands separators), RFC 4180 quoting. Cells a type does not use
/// are left empty. Rows are validated by <see cref="TransactionDraft.Validate"/>, exactly like the
/// JSON API; broker exports go through <see cref="BrokerCsv"/> first and end up in the same place.
/// </summary>
public static class TransactionCsv
{
    public const int MaxRows = 10_000;

    public static readonly IReadOnlyList<string> Columns =
        ["date", "type", "symbol", "quantity", "price", "fees", "amount", "split_numerator", "split_denominator", "notes",
            "currency", "settlement_currency", "settlement_rate", "to_currency", "to_amount"];

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private const NumberStyles StrictNumber = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    public static string Write(IEnumerable<TransactionRecord> records)
    {
        using var text = new StringWriter(Invariant);
        // CRLF and quotes only where needed, and around leading or trailing spaces so they survive a trimming reader.
        using (var csv = CsvWriter.Create(text, CsvWriterOptions.Default with { Quoting = CsvQuoting.WhenNeededOrWhitespace }, leaveOpen: true))
        {
            csv.WriteRecord([.. Columns]);
            foreach (var r in records)
            {
                csv.WriteRecord(
                    r.Date.ToString("yyyy-MM-dd", Invariant), r.Type.ToString().ToLowerInvariant(), r.Symbol,
                    Number(r.Quantity), Number(r.Price), Number(r.Fees), Number(r.Amount), Number(r.SplitNumerator), Number(r.SplitDenominator),
                    GuardFormula(r.Notes), r.Type == Domain.TransactionType.Split ? null : r.Currency, r.SettlementCurrency, Number(r.SettlementRate),
                    r.ToCurrency, Number(r.ToAmount));
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// Spreadsheets run a cell starting with = + - @ as a formula, so such text gets a leading
    /// apostrophe. Text that already starts with apostrophes before one of those gets one more,
    /// so <see cref="UnguardFormula"/> can always undo exactly one and imports round-trip.
    /// </summary>
    internal static string? GuardFormula(string? value) => value is not null && StartsLikeFormula(value) ? "'" + value : value;

    internal static string? UnguardFormula(string? value) =>
        value is { Length: > 1 } && value[0] == '\'' && StartsLikeFormula(value[1..]) ? value[1..] : value;

    private static bool StartsLikeFormula(string value)
    {
        var rest = value.AsSpan().TrimStart('\'');
        return rest.Length > 0 && rest[0] is '=' or '+' or '-' or '@';
    }

    private static string? Number(decimal? value) => value?.ToString(Invariant);

    /// <summary>Reads and validates a whole file; throws <see cref="CsvFormatException"/> when it is not a usable transaction file.</summary>
    public static CsvParseResult Parse(string text, CsvFormat format, IReadOnlyDictionary<string, string>? mapping, DateTimeOffset now)
    {
        var records = CsvReader.Read(text);
        if (records.Count == 0)
        {
            throw new CsvFormatException("The file is empty: expected a header line and at least one transaction.");
        }
        if (format == CsvFormat.FinSight || (mapping is null && IsFinSightHeader(records[0])))
        {
            return ParseFinSight(records, now);
        }
        return BrokerCsv.Parse(records, mapping, now);
    }

    internal static void CheckRowCount(int rows, int headerLine)
    {
        if (rows == 0)
        {
            throw new CsvFormatException($"The file has a header (line {headerLine}) but no transactions under it.", headerLine);
        }
        if (rows > MaxRows)
        {
            throw new CsvFormatException(
                $"The file has {rows:#,0} transactions; one import takes at most {MaxRows:#,0}. Split it into smaller files.",
                status: StatusCodes.Status413PayloadTooLarge);
        }
    }

    /// <summary>
    /// Runs the JSON API's validation on a row. A field that already failed to parse is not
    /// reported twice (its "required" from the validator would only repeat the problem).
    /// </summary>
    internal static void Validate(int line, TransactionRequest request, List<CsvRowError> parseErrors, DateTimeOffset now, CsvParseResultBuilder into)
    {
        var fieldErrors = new ValidationErrors();
        var draft = TransactionDraft.Validate(request, now, fieldErrors);
        var reported = parseErrors.Select(e => e.Field).ToHashSet();
        into.Errors.AddRange(parseErrors);
        foreach (var (field, messages) in fieldErrors.ToDictionary())
        {
            if (!reported.Contains(field))
            {
                into.Errors.AddRange(messages.Select(m => new CsvRowError(line, field, m)));
            }
        }
        if (draft is not null && parseErrors.Count == 0)
        {
            into.Rows.Add(new CsvDraftRow(line, draft));
        }
    }

    private static bool IsFinSightHeader(CsvRecord header)
    {
        var names = header.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        return names.Contains("date") && names.Contains("type") && names.All(Columns.Contains);
    }

    private static CsvParseResult ParseFinSight(List<CsvRecord> records, DateTimeOffset now)
    {
        var header = records[0];
        var names = header.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var unknown = names.Where(n => !Columns.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new CsvFormatException(
                $"Line {header.Line}: unknown column(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}. The FinSight format has the columns "
                + $"{string.Join(",", Columns)}. For a broker's export use format=auto, with a mapping if its columns are not recognised.", header.Line);
        }
        if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new CsvFormatException($"Line {header.Line}: the column '{duplicate.Key}' appears more than once.", header.Line);
        }
        if (!names.Contains("date") || !names.Contains("type"))
        {
            throw new CsvFormatException($"Line {header.Line}: the header needs at least the 'date' and 'type' columns.", header.Line);
        }
        CheckRowCount(records.Count - 1, header.Line);

        var result = new CsvParseResultBuilder();
        foreach (var record in records.Skip(1))
        {
            var line = record.Line;
            if (record.Fields.Count != names.Count)
            {
                result.Errors.Add(new CsvRowError(line, null, $"Has {record.Fields.Count} values but the header has {names.Count}."));
                continue;
            }
            var errors = new List<CsvRowError>();
            string? Get(string column)
            {
                var index = names.IndexOf(column);
                return index < 0 || string.IsNullOrWhiteSpace(record.Fields[index]) ? null : record.Fields[index].Trim();
            }
            decimal? Decimal(string column)
            {
                if (Get(column) is not { } text)
                {
                    return null;
                }
                if (decimal.TryParse(text, StrictNumber, Invariant, out var value))
                {
                    return value;
                }
                errors.Add(new CsvRowError(line, column, $"'{text}' is not a number (digits with a dot for decimals, no thousands separators)."));
                return null;
            }

            DateOnly? date = null;
            if (Get("date") is { } dateText)
            {
                if (DateOnly.TryParseExact(dateText, "yyyy-MM-dd", Invariant, DateTimeStyles.None, out var parsed))
                {
                    date = parsed;
                }
                else
                {
                    errors.Add(new CsvRowError(line, "date", $"'{dateText}' is not a date in YYYY-MM-DD form."));
                }
            }
            var request = new TransactionRequest(
                Get("type"), Get("symbol"), Decimal("quantity"), Decimal("price"), Decimal("fees"), Decimal("amount"),
                Decimal("split_numerator"), Decimal("split_denominator"), date, UnguardFormula(Get("notes")), PortfolioId: null,
                Currency: Get("currency"), SettlementCurrency: Get("settlement_currency"), SettlementRate: Decimal("settlement_rate"),
                ToCurrency: Get("to_currency"), ToAmount: Decimal("to_amount"));
            Validate(line, request, errors, now, result);
        }
        return result.Build("finsight", header.Line, records.Count - 1, [], []);
    }
}

/// <summary>Collects rows and errors while a file is read.</summary>
internal sealed class CsvParseResultBuilder
{
    public List<CsvDraftRow> Rows { get; } = [];
    public List<CsvRowError> Errors { get; } = [];

    public CsvParseResult Build(string format, int headerLine, int rowCount, IReadOnlyList<string> ignored, IReadOnlyList<int> skipped) =>
        new(format, headerLine, rowCount, Rows, Errors, ignored, skipped);
}
