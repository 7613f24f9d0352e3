using FinSight.Domain;
using FinSight.Web.Auth;
using FinSight.Web.Data;
using FinSight.Web.Features.Portfolios;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FinSight.Web.Features.Transactions;

/// <summary>The general transaction routes: every type the accounting engine knows, with filters.</summary>
public static class TransactionsApi
{
    public const int MaxPageSize = 500;

    public static RouteGroupBuilder MapTransactionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/api/transactions", "Transactions").RequireAuthorization();
        group.MapGet("/", List).WithName("ListTransactions")
            .WithSummary("List transactions, newest first, filtered by symbol, type and date range");
        group.MapPost("/", Create).WithName("CreateTransaction")
            .WithSummary("Record a transaction of any type")
            .WithDescription("Refused with 422 when it does not fit the history (for example selling more than is held on that date).");
        group.MapGet("/{id:guid}", Get).WithName("GetTransaction").WithSummary("One transaction");
        group.MapPut("/{id:guid}", Update).WithName("UpdateTransaction")
            .WithSummary("Replace a transaction")
            .WithDescription("Refused with 409 when a later transaction depends on it (for example a sell of the shares this buy provided).");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteTransaction")
            .WithSummary("Delete a transaction")
            .WithDescription("Refused with 409 when a later transaction depends on it.");
        group.MapGet("/export", Export).WithName("ExportTransactionsCsv")
            .WithSummary("Download the portfolio's transactions as a FinSight CSV file, oldest first")
            .WithDescription("The format is described in the README (\"CSV import and export\"); the file imports back unchanged.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        group.MapPost("/import", Import).WithName("ImportTransactionsCsv")
            .WithSummary("Import transactions from a FinSight CSV file or a broker's export, all or nothing")
            .WithDescription("Send the file as text/csv or as multipart/form-data in a field named 'file'. Every row is validated first; "
                + "with any bad row the answer is 422 listing each line and reason, and nothing is written. dry_run=true previews without writing. "
                + "format=auto (default) reads FinSight files and broker exports by their column names; mapping={\"date\":\"Run Date\",...} names columns explicitly.")
            .Accepts<string>("text/csv", "multipart/form-data");
        return group;
    }

    public static async Task<Results<Ok<TransactionPage>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] PortfolioScope scope, CurrentUser user, FinSightDbContext db,
        string? symbol, string? type, DateOnly? from, DateOnly? to, int? limit, int? offset, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        TransactionType? typeFilter = null;
        if (!string.IsNullOrWhiteSpace(type))
        {
            if (Enum.TryParse<TransactionType>(type, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(type, out _))
            {
                typeFilter = parsed;
            }
            else
            {
                errors.Add("type", "Must be one of: buy, sell, dividend, split, deposit, withdrawal, fee.");
            }
        }
        var page = Paging.Validate(limit, offset, MaxPageSize, errors);
        if (from > to)
        {
            errors.Add("from", "Must not be after 'to'.");
        }
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (await scope.FindAsync(ct) is not { } portfolio)
        {
            return PortfolioScope.NotFound();
        }
        var userId = user.Id;
        var query = db.Transactions.AsNoTracking().Where(t => t.PortfolioId == portfolio.Id && t.UserId == userId);
        if (!string.IsNullOrWhiteSpace(symbol))
        {
            var normalized = symbol.Trim().ToUpperInvariant();
            query = query.Where(t => t.Symbol == normalized);
        }
        if (typeFilter is { } wanted)
        {
            query = query.Where(t => t.Type == wanted);
        }
        if (from is { } start)
        {
            query = query.Where(t => t.Date >= start);
        }
        if (to is { } end)
        {
            query = query.Where(t => t.Date <= end);
        }

        var total = await query.CountAsync(ct);
        var items = await query
            .OrderByDescending(t => t.Date).ThenByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Skip(page.Offset).Take(page.Limit)
            .ToListAsync(ct);
        return TypedResults.Ok(new TransactionPage([.. items.Select(TransactionResponse.From)], total, page.Offset, page.Limit));
    }

    public static async Task<Results<Created<TransactionResponse>, ValidationProblem, ProblemHttpResult>> Create(
        TransactionRequest request, TransactionWriter writer, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (TransactionDraft.Validate(request, clock.GetUtcNow(), errors) is not { } draft)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var (created, problem) = await writer.AddAsync(request.PortfolioId, draft, ct);
        return created is not null
            ? TypedResults.Created($"/api/transactions/{created.Id}", TransactionResponse.From(created))
            : problem!.ToResult();
    }

    public static async Task<Results<Ok<TransactionResponse>, ProblemHttpResult>> Get(Guid id, FinSightDbContext db, CurrentUser user, CancellationToken ct)
    {
        var userId = user.Id;
        var record = await db.Transactions.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct);
        return record is null ? WriteProblem.NotFound("transaction").ToResult() : TypedResults.Ok(TransactionResponse.From(record));
    }

    public static async Task<Results<Ok<TransactionResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, TransactionRequest request, TransactionWriter writer, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (TransactionDraft.Validate(request, clock.GetUtcNow(), errors) is not { } draft)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (request.PortfolioId is { } moveTo && await writer.PortfolioOfAsync(id, ct) is { } current && moveTo != current)
        {
            errors.Add("portfolio_id", "A transaction cannot be moved to another portfolio; delete it and record it there.");
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var (updated, problem) = await writer.ReplaceAsync(id, draft, "transaction", applies: null, ct);
        return updated is not null ? TypedResults.Ok(TransactionResponse.From(updated)) : problem!.ToResult();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, TransactionWriter writer, CancellationToken ct) =>
        await writer.DeleteAsync(id, "transaction", applies: null, ct) is { } problem ? problem.ToResult() : TypedResults.NoContent();

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export([AsParameters] PortfolioScope scope, TimeProvider clock, CancellationToken ct)
    {
        if (await scope.FindAsync(ct) is not { } portfolio)
        {
            return PortfolioScope.NotFound();
        }
        var file = await CsvExport.ExportAsync(scope.Store, portfolio, clock, ct);
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }

    public static async Task<Results<Ok<CsvImportResult>, ProblemHttpResult>> Import(
        HttpRequest request, [AsParameters] PortfolioScope scope, CsvImporter importer,
        [FromQuery(Name = "dry_run")] bool? dryRun, string? format, string? mapping, CancellationToken ct)
    {
        if (CsvUpload.ParseOptions(format, mapping, out var csvFormat, out var columns) is { } badOption)
        {
            return badOption.ToResult();
        }
        if (await scope.FindAsync(ct) is not { } portfolio)
        {
            return PortfolioScope.NotFound();
        }
        var (text, unreadable) = await CsvUpload.ReadAsync(request, ct);
        if (unreadable is not null)
        {
            return unreadable.ToResult();
        }
        var (result, problem) = await importer.ImportAsync(text!, portfolio, dryRun ?? false, csvFormat, columns, ct);
        return result is not null ? TypedResults.Ok(result) : problem!.ToResult();
    }
}
