using FinSight.Sentiment.Transformers;
using FinSight.Sentiment.Transformers.Hub;

namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>Pulls against a local server speaking the Hub's URL scheme: resume, verification, errors, slow servers.</summary>
public sealed class ModelStoreTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "finsight-tests", "store-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = HubClient.CreateHttpClient();
    private FakeHub _hub = null!;
    private Dictionary<string, byte[]> _files = null!;

    public async Task InitializeAsync()
    {
        _hub = await FakeHub.StartAsync();
        _files = HubFixtures.TinyClassifier(seed: 21);
        _hub.Add("acme/tiny-finbert", HubFixtures.Commit, _files);
    }

    private ModelStore Store => new(Path.Combine(_data, "models"));

    private HubClient Client(string? token = null, HubClientOptions? options = null) => new(_http, _hub.Url, token, options);

    private static HubRepository Repo(string revision = "main") => new("acme", "tiny-finbert", revision);

    [Fact]
    public async Task A_pull_downloads_verifies_prepares_and_installs_the_model()
    {
        var reports = new List<ModelPullProgress>();
        var model = await Store.PullAsync("tiny", Repo(), Client(), progress: new Collect(reports));

        Assert.Equal(ModelStatus.Ready, model.Status);
        Assert.Equal(HubFixtures.Commit, model.Manifest.Commit);
        Assert.Equal("main", model.Manifest.Revision);
        Assert.Equal("tiny+0123456789ab", model.Manifest.ModelVersion);
        Assert.Equal(["positive", "negative", "neutral"], model.Manifest.Labels);
        Assert.Equal("model.safetensors", model.Manifest.WeightsFile);
        var weights = model.Manifest.Files.Single(f => f.Path == "model.safetensors");
        Assert.Equal(FakeHub.Sha256(_files["model.safetensors"]), weights.Sha256);
        Assert.Equal("hub-sha256", weights.VerifiedBy);
        Assert.Equal("git-blob", model.Manifest.Files.Single(f => f.Path == "config.json").VerifiedBy);
        Assert.False(Directory.Exists(Path.Combine(_data, "models", ".partial", "tiny")));

        // Every file after the first was asked for at the commit the branch resolved to.
        Assert.All(_hub.Requests.Where(r => r.Path.Contains("/resolve/", StringComparison.Ordinal)).Skip(1),
            r => Assert.Contains($"/resolve/{HubFixtures.Commit}/", r.Path, StringComparison.Ordinal));
        Assert.Contains(reports, r => r.Phase == ModelPullPhase.Downloading && r.BytesTotal == _files.Values.Sum(b => (long)b.Length));
        Assert.Equal(ModelPullPhase.Installed, reports[^1].Phase);
        Assert.Equal(100, reports[^1].Percent);

        using var analyzer = Store.Open("tiny");
        Assert.Equal("tiny+0123456789ab", analyzer.Analyze("profit rose").ModelVersion);
        Assert.Equal(ModelStatus.Ready, Store.GetStatus("tiny"));
    }

    [Fact]
    public async Task A_cut_download_resumes_with_a_range_request()
    {
        var size = _files["model.safetensors"].Length;
        _hub.CutAfterBytes = size / 3;
        var error = await Assert.ThrowsAsync<HubException>(() => Store.PullAsync("tiny", Repo(), Client()));
        Assert.Equal(HubErrorKind.Unreachable, error.Kind);
        Assert.Contains("resume", error.Message, StringComparison.Ordinal);
        Assert.Equal(ModelStatus.Partial, Store.GetStatus("tiny"));
        var partial = Path.Combine(_data, "models", ".partial", "tiny", "model.safetensors.partial");
        Assert.Equal(size / 3, new FileInfo(partial).Length);

        var reports = new List<ModelPullProgress>();
        var model = await Store.PullAsync("tiny", Repo(), Client(), progress: new Collect(reports));
        Assert.Equal(ModelStatus.Ready, model.Status);
        Assert.Contains(_hub.Requests, r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal) && r.Range == $"bytes={size / 3}-");
        Assert.Equal(FakeHub.Sha256(_files["model.safetensors"]), model.Manifest.Files.Single(f => f.Path == "model.safetensors").Sha256);
        // The files finished before the cut were not fetched again.
        Assert.Single(_hub.Requests, r => r.Method == "GET" && r.Path.EndsWith("/config.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_corrupted_file_is_refused_by_its_sha256_and_not_kept()
    {
        _hub.Corrupt = true;
        var error = await Assert.ThrowsAsync<HubException>(() => Store.PullAsync("tiny", Repo(), Client()));
        Assert.Equal(HubErrorKind.Corrupt, error.Kind);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data, "models", ".partial", "tiny", "model.safetensors.partial")));
        Assert.False(File.Exists(Path.Combine(_data, "models", ".partial", "tiny", "model.safetensors")));
        Assert.Null(Store.Find("tiny"));
    }

    [Fact]
    public async Task A_catalog_pin_that_differs_from_the_hub_stops_the_pull_before_downloading()
    {
        var pins = new[] { new PinnedFile("model.safetensors", null, new string('0', 64)) };
        var error = await Assert.ThrowsAsync<HubException>(() => Store.PullAsync("tiny", Repo(), Client(), pins));
        Assert.Contains("catalog pins", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_hub.Requests, r => r.Method == "GET");
    }

    [Fact]
    public async Task A_wrong_revision_a_missing_repository_and_a_private_one_fail_with_what_to_do()
    {
        var revision = await Assert.ThrowsAsync<HubException>(() => Store.PullAsync("tiny", Repo("v9-does-not-exist"), Client()));
        Assert.Equal(HubErrorKind.RevisionNotFound, revision.Kind);
        Assert.Contains("v9-does-not-exist", revision.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<HubException>(() => Store.PullAsync("tiny", new HubRepository("acme", "nothing-here", "main"), Client()));
        Assert.Equal(HubErrorKind.Unauthorized, missing.Kind);
        Assert.Contains("Sentiment__HubToken", missing.Message, StringComparison.Ordinal);

        _hub.Add("acme/private-finbert", HubFixtures.Commit, _files, token: "secret-token");
        var refused = await Assert.ThrowsAsync<HubException>(() => Store.PullAsync("private", new HubRepository("acme", "private-finbert", "main"), Client("wrong")));
        Assert.Equal(HubErrorKind.Unauthorized, refused.Kind);
        Assert.DoesNotContain("wrong", refused.Message, StringComparison.Ordinal);

        var model = await Store.PullAsync("private", new HubRepository("acme", "private-finbert", "main"), Client("secret-token"));
        Assert.Equal(ModelStatus.Ready, model.Status);
        // The token went to the Hub, never to the CDN host the large file was fetched from.
        Assert.Contains(_hub.Requests, r => r.Path.Contains("private-finbert", StringComparison.Ordinal) && r.Authorized);
        Assert.All(_hub.Requests.Where(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal)), r => Assert.False(r.Authorized));
        Assert.All(_hub.Requests.Where(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal)), r => Assert.Equal("localhost", r.Host));
    }

    [Fact]
    public async Task A_repository_that_is_not_a_model_is_explained()
    {
        _hub.Add("acme/dataset", HubFixtures.Commit, new Dictionary<string, byte[]> { ["README.md"] = "hello"u8.ToArray() });
        var error = await Assert.ThrowsAsync<HubException>(() => Store.PullAsync("data", new HubRepository("acme", "dataset", "main"), Client()));
        Assert.Equal(HubErrorKind.FileNotFound, error.Kind);
        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_hub_fails_fast_and_says_so()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port nobody listens on
        var hub = new HubClient(_http, new Uri($"http://127.0.0.1:{port}"));
        var error = await Assert.ThrowsAsync<HubException>(() => Store.PullAsync("tiny", Repo(), hub));
        Assert.Equal(HubErrorKind.Unreachable, error.Kind);
        Assert.Contains("Cannot reach", error.Message, StringComparison.Ordinal);
        Assert.Contains("embedded engine keeps working", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stalled_download_times_out_keeps_its_bytes_and_the_next_pull_finishes()
    {
        _hub.StallAfterBytes = 4096;
        var error = await Assert.ThrowsAsync<HubException>(() => Store.PullAsync("tiny", Repo(), Client(options: new HubClientOptions { StallTimeout = TimeSpan.FromSeconds(1) })));
        Assert.Equal(HubErrorKind.Stalled, error.Kind);
        Assert.Contains("resume", error.Message, StringComparison.Ordinal);
        Assert.Equal(4096, new FileInfo(Path.Combine(_data, "models", ".partial", "tiny", "model.safetensors.partial")).Length);

        _hub.StallAfterBytes = null;
        Assert.Equal(ModelStatus.Ready, (await Store.PullAsync("tiny", Repo(), Client())).Status);
    }

    [Fact]
    public async Task A_slow_download_reports_speed_and_time_left_and_can_be_cancelled()
    {
        _hub.Trickle = TimeSpan.FromMilliseconds(150);
        var reports = new List<ModelPullProgress>();
        using var cancellation = new CancellationTokenSource();
        var progress = new Collect(reports, r =>
        {
            if (r.BytesPerSecond > 0 && r.Remaining is not null)
            {
                cancellation.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PullAsync("tiny", Repo(), Client(), progress: progress, cancellationToken: cancellation.Token));
        var last = reports.Last(r => r.Phase == ModelPullPhase.Downloading);
        Assert.Equal("model.safetensors", last.File);
        Assert.InRange(last.BytesPerSecond, 1_000, 100_000); // ~6.7 KB/s: 1 KB per 150 ms
        Assert.InRange(last.Remaining!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.NotNull(last.Percent);
        Assert.Equal(ModelStatus.Partial, Store.GetStatus("tiny"));
        Assert.Null(Store.Find("tiny"));
    }

    [Fact]
    public async Task Re_pulling_a_newer_revision_replaces_the_model_only_when_ready_and_remove_deletes_it()
    {
        await Store.PullAsync("tiny", Repo(HubFixtures.Commit), Client());
        _hub.Add("acme/tiny-finbert", HubFixtures.OtherCommit, HubFixtures.TinyClassifier(seed: 22, weights: "pytorch_model.bin"));

        _hub.Corrupt = true; // a failed re-pull leaves the installed model alone
        await Assert.ThrowsAsync<HubException>(() => Store.PullAsync("tiny", Repo("main"), Client()));
        Assert.Equal(HubFixtures.Commit, Store.Find("tiny")!.Manifest.Commit);

        _hub.Corrupt = false;
        var updated = await Store.PullAsync("tiny", Repo("main"), Client());
        Assert.Equal(HubFixtures.OtherCommit, updated.Manifest.Commit);
        Assert.Equal("pytorch-zip", updated.Manifest.WeightsFormat);
        Assert.Single(Store.List());

        Assert.True(Store.Remove("tiny"));
        Assert.False(Store.Remove("tiny"));
        Assert.Equal(ModelStatus.NotInstalled, Store.GetStatus("tiny"));
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.Combine(_data, "models")), d => !Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public async Task Names_that_select_engines_or_escape_the_folder_are_refused()
    {
        foreach (var name in new[] { "auto", "embedded", "finsight-linear", "../x", "Tiny", "", "a b" })
        {
            Assert.False(ModelStore.IsValidName(name), name);
            await Assert.ThrowsAsync<InvalidOperationException>(() => Store.PullAsync(name, Repo(), Client()));
        }

        Assert.Empty(_hub.Requests);
    }

    [Fact]
    public async Task Background_pulls_report_progress_and_announce_the_installed_model()
    {
        using var downloads = new ModelDownloads(Store, Client());
        var installed = new TaskCompletionSource<InstalledModel>();
        downloads.Installed += (_, model) => installed.TrySetResult(model);
        _hub.Trickle = TimeSpan.FromMilliseconds(5);
        Assert.True(downloads.TryStart("tiny", Repo(), null, out _));
        Assert.False(downloads.TryStart("tiny", Repo(), null, out var reason));
        Assert.Contains("already running", reason, StringComparison.Ordinal);
        Assert.NotNull(downloads.GetProgress("tiny"));

        var model = await installed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await downloads.WaitAsync("tiny");
        Assert.Equal("tiny", model.Manifest.Name);
        Assert.Equal(ModelPullPhase.Installed, downloads.GetProgress("tiny")!.Phase);

        _hub.StallAfterBytes = 2048;
        Assert.True(downloads.TryStart("again", Repo(), null, out _));
        await WaitForAsync(() => downloads.GetProgress("again")!.BytesDone > 0);
        Assert.True(downloads.Cancel("again"));
        await downloads.WaitAsync("again");
        Assert.Equal(ModelPullPhase.Cancelled, downloads.GetProgress("again")!.Phase);
        Assert.False(downloads.TryStart("not-in-catalog", out reason));
        Assert.Contains("catalog", reason, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }

    private sealed class Collect(List<ModelPullProgress> reports, Action<ModelPullProgress>? then = null) : IProgress<ModelPullProgress>
    {
        public void Report(ModelPullProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }

            then?.Invoke(value);
        }
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _http.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
