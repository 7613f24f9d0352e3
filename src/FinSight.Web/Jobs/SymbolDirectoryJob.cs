using FinSight.MarketData.Directory;
using FinSight.Web.Features.Stocks;
using Microsoft.Extensions.Options;

namespace FinSight.Web.Jobs;

/// <summary>
/// Fills the symbol directory beyond the starter list: from files on disk at start-up (when
/// <c>SymbolDirectory:ImportPath</c> is set), then from NASDAQ Trader's live files every
/// <c>LiveRefreshInterval</c>. Offline, the live refresh fails quietly and the directory keeps
/// what it has.
/// </summary>
public sealed class SymbolDirectoryJob(
    SymbolDirectory directory, JobLeadership leadership, IHttpClientFactory http, IHostEnvironment environment,
    IOptions<SymbolDirectoryOptions> options, TimeProvider clock, ILogger<SymbolDirectoryJob> logger) : BackgroundService
{
    public const long JobKey = 0x46_53_53_59_4D_44_49; // "FSSYMDI"
    public const string HttpClientName = "symbol-directory";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.ImportPath) && await leadership.IsLeaderAsync(JobKey, stoppingToken))
        {
            var folder = Path.GetFullPath(settings.ImportPath, environment.ContentRootPath);
            try
            {
                var changed = await directory.ImportFolderAsync(folder, stoppingToken);
                logger.LogInformation("Symbol directory: {Changed} listings added or updated from {Folder}; {Count} in total.", changed, folder, directory.Count);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Symbol directory import from {Folder} skipped: {Reason}", folder, error.Message);
            }
        }
        if (settings.LiveRefreshInterval <= TimeSpan.Zero)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            if (await leadership.IsLeaderAsync(JobKey, stoppingToken))
            {
                await RefreshFromLiveFilesAsync(stoppingToken);
            }
            await Task.Delay(settings.LiveRefreshInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RefreshFromLiveFilesAsync(CancellationToken ct)
    {
        try
        {
            var entries = await SymbolDirectoryDownloader.DownloadAsync(http.CreateClient(HttpClientName), cancellationToken: ct);
            var changed = await directory.UpsertAsync(entries, ct);
            logger.LogInformation("Symbol directory refreshed from NASDAQ Trader: {Changed} listings added or updated.", changed);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or FormatException or IOException)
        {
            logger.LogInformation("Symbol directory live refresh skipped ({Reason}); keeping {Count} listings.", error.Message, directory.Count);
        }
    }
}
