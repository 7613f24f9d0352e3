using System.Text;
using System.Text.Json;
using FinSight.Domain;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Stocks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace FinSight.Web.Features.Transactions;

/// <summary>A transaction read from the file; <c>id</c> is set once it has been imported.</summary>
public sealed record CsvPreviewRow(
    int Line, Guid? Id, TransactionType Type, string? Symbol, decimal? Quantity, decimal? Price, decimal? Fees, decimal? Amount,
    decimal? SplitNumerator, decimal? SplitDenominator, DateOnly Date, string? Notes);

/// <summary>The outcome of an import or a dry run.</summary>
/// <param name="DryRun">True when nothing was written.</param>
/// <param name="Rows">Data rows in the file.</param>
/// <param name="Valid">Every row can be imported.</param>
/// <param name="Errors">Empty here; a file with errors is answered with 422 and this same list.</param>
/// <param name="Preview">The first 50 rows as read.</param>
/// <param name="Imported">Transactions written (0 in a dry run).</param>
/// <param name="Format">"finsight", or "broker" when columns were found by alias or mapping.</param>
/// <param name="IgnoredColumns">Columns of a broker's export that FinSight has no use for.</param>
/// <param name="SkippedLines">Trailing lines with neither a date nor an action (disclaimers, totals).</param>
public sealed record CsvImportResult(
    bool DryRun, string Format, int Rows, bool Valid, IReadOnlyList<CsvRowError> Errors, IReadOnlyList<CsvPreviewRow> Preview,
    int Imported, IReadOnlyList<string> IgnoredColumns, IReadOnlyList<int> SkippedLines);

/// <summary>
/// Imports a CSV file all or nothing: every row is validated like a JSON request, then all rows
/// go into one <see cref="PortfolioStore.WriteAsync"/>, which replays the whole history and
/// commits only if it still holds. A dry run does the same checks and writes nothing.
/// </summary>
public static class CsvImport
{
    public const int PreviewRows = 50;

    private static readonly string[] CsvMediaTypes = ["text/csv", "text/plain", "application/csv", "application/vnd.ms-excel", "application/octet-stream"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<Results<Ok<CsvImportResult>, ProblemHttpResult>> Import(
        HttpRequest request, PortfolioStore store, CurrentUser user, SymbolValidator symbols, TimeProvider clock,
        [FromQuery(Name = "portfolio_id")] Guid? portfolioId, [FromQuery(Name = "dry_run")] bool? dryRun,
        string? format, string? mapping, CancellationToken ct)
    {
        var isDryRun = dryRun ?? false;
        if (ParseOptions(format, mapping, out var csvFormat, out var columns) is { } badOption)
        {
            return badOption;
        }
        var portfolio = await store.FindAsync(portfolioId, ct);
        if (portfolio is null)
        {
            return WriteProblem.NotFound("portfolio").ToResult();
        }
        var (text, unreadable) = await ReadBodyAsync(request, ct);
        if (unreadable is not null)
        {
            return unreadable;
        }

        return await ImportTextAsync(text!, portfolio, isDryRun, csvFormat, columns, store, user, symbols, clock, ct);
    }

    /// <summary>The import after the file has been read: shared by the API route and the web UI's import page.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="portfolio">A portfolio of the current user.</param>
    /// <param name="isDryRun">Check only, write nothing.</param>
    /// <param name="csvFormat">FinSight's format, or detect broker exports.</param>
    /// <param name="columns">Explicit column names for broker exports, or null.</param>
    /// <param name="store">Writes the rows.</param>
    /// <param name="user">Owns the rows.</param>
    /// <param name="symbols">Checks tickers.</param>
    /// <param name="clock">Today, for date checks.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The result, or a 4xx problem listing what is wrong.</returns>
    public static async Task<Results<Ok<CsvImportResult>, ProblemHttpResult>> ImportTextAsync(
        string text, Portfolio portfolio, bool isDryRun, CsvFormat csvFormat, Dictionary<string, string>? columns,
        PortfolioStore store, CurrentUser user, SymbolValidator symbols, TimeProvider clock, CancellationToken ct)
    {
        CsvParseResult parsed;
        try
        {
            parsed = TransactionCsv.Parse(text, csvFormat, columns, clock.GetUtcNow());
        }
        catch (CsvFormatException error)
        {
            var title = error.Status == StatusCodes.Status413PayloadTooLarge ? "Too many rows" : "The file is not a usable CSV transaction file";
            return TypedResults.Problem(statusCode: error.Status, title: title, detail: error.Message,
                extensions: new Dictionary<string, object?> { ["line"] = error.Line });
        }
        if (parsed.Errors.Count > 0)
        {
            return Invalid(isDryRun, parsed, parsed.Errors);
        }
        // The same rule as the JSON routes: a ticker must be listed (or known to a real provider).
        var unknownSymbols = new List<CsvRowError>();
        foreach (var group in parsed.Rows.Where(r => r.Draft.Symbol is not null).GroupBy(r => r.Draft.Symbol!))
        {
            if (await symbols.CheckAsync(group.Key, ct) is { } unknown)
            {
                unknownSymbols.AddRange(group.Select(r => new CsvRowError(r.Line, "symbol", unknown.Detail)));
            }
        }
        if (unknownSymbols.Count > 0)
        {
            return Invalid(isDryRun, parsed, [.. unknownSymbols.OrderBy(e => e.Line)]);
        }

        // A file listed newest first (as most brokers export) still means its same-day rows happened bottom-up.
        var rows = parsed.Rows;
        var chronological = rows.Count > 1 && rows[0].Draft.Date > rows[^1].Draft.Date ? rows.AsEnumerable().Reverse().ToList() : rows;
        var userId = user.Id;
        List<TransactionRecord> created = [];
        if (isDryRun)
        {
            created = Records(chronological, portfolio.Id, userId, clock.StoredUtcNow());
            var existing = await store.TransactionsAsync(portfolio.Id, ct);
            try
            {
                PortfolioState.Replay(TransactionRecord.InReplayOrder(existing.Concat(created)).Select(r => r.ToDomain()), portfolio.CostBasisMethod);
            }
            catch (PortfolioException error)
            {
                return NotFitting(isDryRun, parsed, chronological, created, WriteProblem.Inconsistent(error, created.Select(r => r.Id).ToHashSet()));
            }
        }
        else
        {
            var problem = await store.WriteAsync(portfolio.Id, edit =>
            {
                created = Records(chronological, portfolio.Id, userId, edit.Now);
                created.ForEach(edit.Add);
                return null;
            }, ct);
            if (problem is { Status: StatusCodes.Status404NotFound })
            {
                return problem.ToResult();
            }
            if (problem is not null)
            {
                return NotFitting(isDryRun, parsed, chronological, created, problem);
            }
        }

        Dictionary<int, Guid> idByLine = isDryRun ? [] : chronological.Zip(created).ToDictionary(p => p.First.Line, p => p.Second.Id);
        var preview = rows.Take(PreviewRows).Select(r => Preview(r, idByLine.TryGetValue(r.Line, out var id) ? id : null)).ToList();
        return TypedResults.Ok(new CsvImportResult(isDryRun, parsed.Format, parsed.RowCount, Valid: true, [], preview,
            Imported: isDryRun ? 0 : created.Count, parsed.IgnoredColumns, parsed.SkippedLines));
    }

    /// <summary>
    /// One record per row in the order they happened. Each is recorded a microsecond after the
    /// previous one (the precision both databases keep), because replay orders same-day
    /// transactions by when they were recorded and a sell must come after the buy above it.
    /// </summary>
    private static List<TransactionRecord> Records(List<CsvDraftRow> rows, Guid portfolioId, Guid userId, DateTimeOffset now) =>
        [.. rows.Select((row, i) =>
        {
            var at = now.AddTicks(i * 10L);
            var record = new TransactionRecord { Id = Guid.CreateVersion7(at), PortfolioId = portfolioId, UserId = userId, CreatedAt = at, UpdatedAt = at };
            row.Draft.ApplyTo(record);
            return record;
        })];

    private static CsvPreviewRow Preview(CsvDraftRow row, Guid? id)
    {
        var d = row.Draft;
        return new(row.Line, id, d.Type, d.Symbol, d.Quantity, d.Price, d.Fees, d.Amount, d.SplitNumerator, d.SplitDenominator, d.Date, d.Notes);
    }

    /// <summary>The rows are valid one by one but the history does not replay: name the row at fault by its line.</summary>
    private static ProblemHttpResult NotFitting(bool dryRun, CsvParseResult parsed, List<CsvDraftRow> rows, List<TransactionRecord> created, WriteProblem problem)
    {
        var lineById = rows.Zip(created).ToDictionary(p => p.Second.Id, p => p.First.Line);
        int? line = problem.Extensions.TryGetValue("transaction_id", out var id) && id is Guid guid && lineById.TryGetValue(guid, out var l) ? l : null;
        var field = problem.Extensions.TryGetValue("code", out var code) && code is "insufficient_quantity" ? "quantity" : null;
        var message = line is null ? $"An existing transaction would no longer fit: {problem.Detail}" : problem.Detail;
        return Invalid(dryRun, parsed, [new CsvRowError(line, field, message)], problem.Extensions);
    }

    private static ProblemHttpResult Invalid(bool dryRun, CsvParseResult parsed, IReadOnlyList<CsvRowError> errors, IDictionary<string, object?>? more = null)
    {
        var lines = errors.Select(e => e.Line).Distinct().Count();
        var extensions = new Dictionary<string, object?>(more ?? new Dictionary<string, object?>())
        {
            ["dry_run"] = dryRun,
            ["rows"] = parsed.RowCount,
            ["valid"] = false,
            ["imported"] = 0,
            ["errors"] = errors,
        };
        return TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The file has rows that cannot be imported",
            detail: $"{errors.Count} problem(s) on {lines} line(s); nothing was imported. Each is listed under 'errors' with its line.",
            extensions: extensions);
    }

    private static ProblemHttpResult? ParseOptions(string? format, string? mapping, out CsvFormat csvFormat, out Dictionary<string, string>? columns)
    {
        columns = null;
        csvFormat = CsvFormat.Auto;
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto":
                break;
            case "finsight":
                csvFormat = CsvFormat.FinSight;
                break;
            default:
                return BadRequest("format must be 'auto' (FinSight or a broker's export, by its header) or 'finsight'.");
        }
        if (string.IsNullOrWhiteSpace(mapping))
        {
            return null;
        }
        if (csvFormat == CsvFormat.FinSight)
        {
            return BadRequest("A mapping is for broker exports: use it with format=auto.");
        }
        Dictionary<string, string>? raw;
        try
        {
            raw = JsonSerializer.Deserialize<Dictionary<string, string>>(mapping);
        }
        catch (JsonException)
        {
            raw = null;
        }
        if (raw is null || raw.Count == 0)
        {
            return BadRequest("mapping must be a JSON object of FinSight field to your column name, e.g. {\"date\":\"Run Date\",\"type\":\"Action\"}.");
        }
        columns = [];
        foreach (var (field, column) in raw)
        {
            var key = field.Trim().ToLowerInvariant();
            if (!BrokerCsv.MappableFields.Contains(key))
            {
                return BadRequest($"mapping: '{field}' is not a FinSight field; use {string.Join(", ", BrokerCsv.MappableFields)}.");
            }
            if (string.IsNullOrWhiteSpace(column))
            {
                return BadRequest($"mapping: the column for '{key}' is empty.");
            }
            columns[key] = column;
        }
        return null;
    }

    private static async Task<(string? Text, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (Exception error) when (error is InvalidDataException or IOException and not BadHttpRequestException)
            {
                // A truncated or boundary-less multipart body; an oversized one stays a 413 (BadHttpRequestException).
                return (null, BadRequest($"The form could not be read: {error.Message}"));
            }
            if (form.Files.GetFile("file") is not { } file)
            {
                return (null, BadRequest("The form has no file in a field named 'file'."));
            }
            await file.CopyToAsync(buffer, ct);
        }
        else if (request.ContentType is null || (MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && CsvMediaTypes.Contains(type.MediaType.Value, StringComparer.OrdinalIgnoreCase)))
        {
            await request.Body.CopyToAsync(buffer, ct);
        }
        else
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: "Send the file as text/csv, or as multipart/form-data with the file in a field named 'file'."));
        }
        return (Decode(buffer.ToArray()), null);
    }

    /// <summary>UTF-8 (with or without BOM), UTF-16 when it has a BOM; a file that is not valid UTF-8 is read as Latin-1, as older spreadsheets write it.</summary>
    private static string Decode(byte[] bytes)
    {
        if (bytes is [0xFF, 0xFE, ..])
        {
            return Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        }
        if (bytes is [0xFE, 0xFF, ..])
        {
            return Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
        }
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The import request is not valid", detail: detail);
}
