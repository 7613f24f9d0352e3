using FinSight.Domain;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Features.Stocks;

namespace FinSight.Web.Features.Transactions;

/// <summary>A transaction read from the file; <c>id</c> is set once it has been imported.</summary>
/// <param name="Currency">The currency of its price, fees and amount: as stated, else its listing's, else the portfolio's base currency; null for a split.</param>
public sealed record CsvPreviewRow(
    int Line, Guid? Id, TransactionType Type, string? Symbol, decimal? Quantity, decimal? Price, decimal? Fees, decimal? Amount,
    decimal? SplitNumerator, decimal? SplitDenominator, DateOnly Date, string? Notes, string? Currency = null);

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
/// <param name="AlreadyImported">
/// Every row of the file is already recorded in the portfolio (a retried import whose answer was
/// lost): nothing was written again and <paramref name="Imported"/> is 0.
/// </param>
public sealed record CsvImportResult(
    bool DryRun, string Format, int Rows, bool Valid, IReadOnlyList<CsvRowError> Errors, IReadOnlyList<CsvPreviewRow> Preview,
    int Imported, IReadOnlyList<string> IgnoredColumns, IReadOnlyList<int> SkippedLines, bool AlreadyImported = false);

/// <summary>
/// Imports a CSV file's text all or nothing: every row is validated like a JSON request, then all
/// rows go into one <see cref="PortfolioStore.WriteAsync"/>, which replays the whole history and
/// commits only if it still holds. A dry run does the same checks and writes nothing. For the API
/// route (after <see cref="CsvUpload"/> has read the body) and the import page alike.
/// </summary>
public sealed class CsvImporter(PortfolioStore store, CurrentUser user, SymbolValidator symbols, ListingCurrency listingCurrency, TimeProvider clock)
{
    public const int PreviewRows = 50;

    /// <summary>Imports (or with <paramref name="isDryRun"/> only checks) the rows of <paramref name="text"/>.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="portfolio">A portfolio of the current user.</param>
    /// <param name="isDryRun">Check only, write nothing.</param>
    /// <param name="csvFormat">FinSight's format, or detect broker exports.</param>
    /// <param name="columns">Explicit column names for broker exports, or null.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The result, or a 4xx problem listing what is wrong (every row error under <c>errors</c>).</returns>
    public async Task<(CsvImportResult? Result, WriteProblem? Problem)> ImportAsync(
        string text, Portfolio portfolio, bool isDryRun, CsvFormat csvFormat, Dictionary<string, string>? columns, CancellationToken ct)
    {
        CsvParseResult parsed;
        try
        {
            parsed = TransactionCsv.Parse(text, csvFormat, columns, clock.GetUtcNow());
        }
        catch (CsvFormatException error)
        {
            var title = error.Status == StatusCodes.Status413PayloadTooLarge ? "Too many rows" : "The file is not a usable CSV transaction file";
            return (null, new WriteProblem(error.Status, title, error.Message, new Dictionary<string, object?> { ["line"] = error.Line }));
        }
        if (parsed.Errors.Count > 0)
        {
            return (null, Invalid(isDryRun, parsed, parsed.Errors));
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
            return (null, Invalid(isDryRun, parsed, [.. unknownSymbols.OrderBy(e => e.Line)]));
        }
        // Rows without a currency column trade in the symbol's currency (once per symbol, as the JSON routes do).
        foreach (var symbol in parsed.Rows.Where(r => r.Draft.CurrencyFromSuffix).Select(r => r.Draft.Symbol!).Distinct(StringComparer.Ordinal).ToArray())
        {
            var currency = await listingCurrency.ResolveAsync(portfolio.Id, symbol, ct);
            for (var i = 0; i < parsed.Rows.Count; i++)
            {
                if (parsed.Rows[i].Draft is { CurrencyFromSuffix: true } draft && draft.Symbol == symbol)
                {
                    parsed.Rows[i] = parsed.Rows[i] with { Draft = draft with { Currency = currency, CurrencyFromSuffix = false } };
                }
            }
        }

        // A file listed newest first (as most brokers export) still means its same-day rows happened bottom-up.
        var rows = parsed.Rows;
        var chronological = rows.Count > 1 && rows[0].Draft.Date > rows[^1].Draft.Date ? rows.AsEnumerable().Reverse().ToList() : rows;
        var userId = user.Id;
        List<TransactionRecord> created = [];
        var alreadyImported = false;
        if (isDryRun)
        {
            created = Records(chronological, portfolio.Id, portfolio.BaseCurrency, userId, clock.StoredUtcNow());
            var existing = await store.TransactionsAsync(portfolio, ct);
            alreadyImported = AlreadyRecorded(created, existing);
            try
            {
                PortfolioState.Replay(TransactionRecord.InReplayOrder(existing.Concat(created)).Select(r => r.ToDomain()), portfolio.CostBasisMethod,
                    rates: ExchangeRates.Unvalued(Currency.Parse(portfolio.BaseCurrency)));
            }
            catch (PortfolioException error)
            {
                return (null, NotFitting(isDryRun, parsed, chronological, created, WriteProblem.Inconsistent(error, created.Select(r => r.Id).ToHashSet())));
            }
        }
        else
        {
            var problem = await store.WriteAsync(portfolio.Id, edit =>
            {
                created = Records(chronological, portfolio.Id, portfolio.BaseCurrency, userId, edit.Now);
                // Checked inside the write, against the history it commits on: two deliveries of the
                // same file at once cannot both be written.
                alreadyImported = AlreadyRecorded(created, edit.Records);
                if (alreadyImported)
                {
                    created = [];
                    return null;
                }
                created.ForEach(edit.Add);
                return null;
            }, ct);
            if (problem is { Status: StatusCodes.Status404NotFound } || (problem is not null && problem.Extensions.TryGetValue("code", out var code) && code is "storage_quota"))
            {
                return (null, problem);
            }
            if (problem is not null)
            {
                return (null, NotFitting(isDryRun, parsed, chronological, created, problem));
            }
        }

        Dictionary<int, Guid> idByLine = isDryRun ? [] : chronological.Zip(created).ToDictionary(p => p.First.Line, p => p.Second.Id);
        var preview = rows.Take(PreviewRows).Select(r => Preview(r, idByLine.TryGetValue(r.Line, out var id) ? id : null, portfolio.BaseCurrency)).ToList();
        return (new CsvImportResult(isDryRun, parsed.Format, parsed.RowCount, Valid: true, [], preview,
            Imported: isDryRun ? 0 : created.Count, parsed.IgnoredColumns, parsed.SkippedLines, alreadyImported), null);
    }

    /// <summary>
    /// True when every row of the file matches a transaction already in the portfolio (same date,
    /// type, symbol, figures and notes; a row repeated n times needs n matches): the same file sent
    /// again, typically a retry after a lost response. A file with even one new row is imported whole.
    /// </summary>
    private static bool AlreadyRecorded(IReadOnlyList<TransactionRecord> rows, IEnumerable<TransactionRecord> existing)
    {
        if (rows.Count == 0)
        {
            return false;
        }
        var stored = existing.GroupBy(Fingerprint).ToDictionary(g => g.Key, g => g.Count());
        foreach (var wanted in rows.GroupBy(Fingerprint))
        {
            if (stored.GetValueOrDefault(wanted.Key) < wanted.Count())
            {
                return false;
            }
        }
        return true;
    }

    private static (DateOnly, TransactionType, string?, decimal?, decimal?, decimal?, decimal?, decimal?, decimal?, string?) Fingerprint(TransactionRecord r) =>
        (r.Date, r.Type, r.Symbol, r.Quantity, r.Price, r.Fees, r.Amount, r.SplitNumerator, r.SplitDenominator, r.Notes);

    /// <summary>
    /// One record per row in the order they happened. Each is recorded a microsecond after the
    /// previous one (the precision both databases keep), because replay orders same-day
    /// transactions by when they were recorded and a sell must come after the buy above it.
    /// </summary>
    private static List<TransactionRecord> Records(List<CsvDraftRow> rows, Guid portfolioId, string baseCurrency, Guid userId, DateTimeOffset now) =>
        [.. rows.Select((row, i) =>
        {
            var at = now.AddTicks(i * 10L);
            var record = new TransactionRecord { Id = Guid.CreateVersion7(at), PortfolioId = portfolioId, UserId = userId, CreatedAt = at, UpdatedAt = at };
            row.Draft.ApplyTo(record, baseCurrency);
            return record;
        })];

    private static CsvPreviewRow Preview(CsvDraftRow row, Guid? id, string baseCurrency)
    {
        var d = row.Draft;
        return new(row.Line, id, d.Type, d.Symbol, Quantity: d.Quantity, Price: d.Price, Fees: d.Fees, Amount: d.Amount,
            SplitNumerator: d.SplitNumerator, SplitDenominator: d.SplitDenominator, d.Date, d.Notes,
            Currency: d.Type == TransactionType.Split ? null : d.Currency ?? baseCurrency);
    }

    /// <summary>The rows are valid one by one but the history does not replay: name the row at fault by its line.</summary>
    private static WriteProblem NotFitting(bool dryRun, CsvParseResult parsed, List<CsvDraftRow> rows, List<TransactionRecord> created, WriteProblem problem)
    {
        var lineById = rows.Zip(created).ToDictionary(p => p.Second.Id, p => p.First.Line);
        int? line = problem.Extensions.TryGetValue("transaction_id", out var id) && id is Guid guid && lineById.TryGetValue(guid, out var l) ? l : null;
        var message = line is null ? $"An existing transaction would no longer fit: {problem.Detail}" : problem.Detail;
        return Invalid(dryRun, parsed, [new CsvRowError(line, problem.Field, message)], problem.Extensions);
    }

    private static WriteProblem Invalid(bool dryRun, CsvParseResult parsed, IReadOnlyList<CsvRowError> errors, IDictionary<string, object?>? more = null)
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
        return new WriteProblem(
            StatusCodes.Status422UnprocessableEntity,
            "The file has rows that cannot be imported",
            $"{errors.Count} problem(s) on {lines} line(s); nothing was imported. Each is listed under 'errors' with its line.",
            extensions);
    }
}
