using System.Globalization;
using System.Text;
using FinSight.Web.Data;
using FinSight.Web.Features.Portfolios;

namespace FinSight.Web.Features.Transactions;

/// <summary>A file to download.</summary>
public sealed record CsvFile(byte[] Content, string ContentType, string FileName);

/// <summary>A portfolio's transactions in the FinSight CSV format, oldest first, so the file imports back unchanged.</summary>
public static class CsvExport
{
    /// <summary>The file <c>finsight-transactions-YYYY-MM-DD.csv</c> (today in UTC), UTF-8.</summary>
    public static async Task<CsvFile> ExportAsync(PortfolioStore store, Portfolio portfolio, TimeProvider clock, CancellationToken ct)
    {
        var records = await store.TransactionsAsync(portfolio, ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new CsvFile(Encoding.UTF8.GetBytes(TransactionCsv.Write(records)), "text/csv; charset=utf-8", $"finsight-transactions-{today}.csv");
    }
}
