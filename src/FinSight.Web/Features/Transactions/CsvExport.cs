using System.Globalization;
using System.Text;
using FinSight.Web.Features.Portfolios;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FinSight.Web.Features.Transactions;

/// <summary>Downloads a portfolio's transactions in the FinSight CSV format, oldest first, so the file imports back unchanged.</summary>
public static class CsvExport
{
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(
        PortfolioStore store, TimeProvider clock, [FromQuery(Name = "portfolio_id")] Guid? portfolioId, CancellationToken ct)
    {
        var portfolio = await store.FindAsync(portfolioId, ct);
        if (portfolio is null)
        {
            return WriteProblem.NotFound("portfolio").ToResult();
        }
        var records = await store.TransactionsAsync(portfolio, ct);
        var csv = TransactionCsv.Write(records);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"finsight-transactions-{today}.csv");
    }
}
