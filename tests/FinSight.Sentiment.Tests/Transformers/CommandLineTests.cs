using System.Text.Json;
using FinSight.Sentiment.Cli;
using FinSight.Sentiment.Transformers;
using FinSight.Sentiment.Transformers.Hub;

namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>The command-line contract, run as FinSight.Web runs it, against a local stand-in of the Hub.</summary>
public sealed class CommandLineTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "finsight-tests", "cli-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = HubClient.CreateHttpClient();
    private FakeHub _hub = null!;

    public async Task InitializeAsync()
    {
        _hub = await FakeHub.StartAsync();
        _hub.Add("acme/tiny-finbert", HubFixtures.Commit, HubFixtures.TinyClassifier(seed: 31, labels: ["Neutral", "Positive", "Negative"]));
    }

    private async Task<(int Code, string Output, string Error)> Run(params string[] args) => await Run(new SentimentOptions { HubUrl = _hub.Url.ToString() }, args);

    private async Task<(int Code, string Output, string Error)> Run(SentimentOptions options, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SentimentCommandLine.RunAsync(args, options, _data, output, error, _http);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Pull_list_analyse_and_remove_a_hub_model()
    {
        var pull = await Run("--FinSight:DataDirectory=ignored-by-the-command", "models", "pull", "acme/tiny-finbert@main", "--as", "tiny");
        Assert.True(pull.Code == 0, pull.Error);
        Assert.Contains("Installed tiny", pull.Output, StringComparison.Ordinal);
        Assert.Contains("Downloading model.safetensors", pull.Error, StringComparison.Ordinal);

        var list = await Run("models", "list");
        Assert.Equal(0, list.Code);
        var lines = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^NAME +SOURCE +REVISION +SIZE +STATUS", lines[0]);
        Assert.Matches("^embedded +built in", lines[1]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^tiny +acme/tiny-finbert +0123456789ab +\d+\.\d KB +ready$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^finbert-tone +yiyanghkust/finbert-tone +4921590d3c0c +- +not installed$"));

        string[] texts = ["Quarterly profit rose 12%", "Shares fell after the company cut guidance", "weak"];
        var analyse = await Run(["sentiment", "--engine", "tiny", "--json", .. texts]);
        Assert.True(analyse.Code == 0, analyse.Error);
        var results = analyse.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(texts.Length, results.Length);
        using var analyzer = new ModelStore(Path.Combine(_data, "models")).Open("tiny");
        for (var i = 0; i < texts.Length; i++)
        {
            // Exactly the contract's shape: {"label": "...", "probabilities": {"positive": p, "negative": p, "neutral": p}}
            Assert.Matches("""^\{"label": "(positive|negative|neutral)", "probabilities": \{"positive": [-0-9.E]+, "negative": [-0-9.E]+, "neutral": [-0-9.E]+\}\}$""", results[i]);
            using var json = JsonDocument.Parse(results[i]);
            var expected = analyzer.Analyze(texts[i]);
            Assert.Equal(expected.Label.ToString().ToLowerInvariant(), json.RootElement.GetProperty("label").GetString());
            var p = json.RootElement.GetProperty("probabilities");
            Assert.Equal(["positive", "negative", "neutral"], p.EnumerateObject().Select(o => o.Name));
            Assert.Equal(expected.Probabilities.Positive, p.GetProperty("positive").GetDouble(), 12);
            Assert.Equal(expected.Probabilities.Negative, p.GetProperty("negative").GetDouble(), 12);
            Assert.Equal(1.0, p.EnumerateObject().Sum(o => o.Value.GetDouble()), 6);
        }

        // auto picks the installed model; embedded is always there.
        var auto = await Run("sentiment", "--engine", "auto", "--json", texts[0]);
        Assert.Equal(results[0], auto.Output.Trim());
        var embedded = await Run("sentiment", "--engine", "embedded", "--json", texts[0]);
        Assert.Equal(0, embedded.Code);
        Assert.StartsWith("{\"label\": \"positive\"", embedded.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await Run("models", "remove", "tiny")).Code);
        var again = await Run("models", "remove", "tiny");
        Assert.Equal(1, again.Code);
        Assert.Contains("not installed", again.Error, StringComparison.Ordinal);
        var gone = await Run("sentiment", "--engine", "tiny", "--json", "x");
        Assert.Equal(1, gone.Code);
        Assert.Contains("models pull tiny", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failures_exit_non_zero_with_a_message()
    {
        var revision = await Run("models", "pull", "acme/tiny-finbert@no-such-branch", "--as", "tiny");
        Assert.Equal(1, revision.Code);
        Assert.Contains("Revision \"no-such-branch\" does not exist", revision.Error, StringComparison.Ordinal);

        var missing = await Run("models", "pull", "acme/absent@main", "--as", "absent");
        Assert.Equal(1, missing.Code);
        Assert.Contains("401", missing.Error, StringComparison.Ordinal);

        // The catalog's pinned commit is not in the repository: the message says how to pull a branch instead.
        _hub.Add("yiyanghkust/finbert-tone", HubFixtures.OtherCommit, HubFixtures.TinyClassifier(seed: 32));
        var catalog = await Run("models", "pull", "finbert-tone");
        Assert.Equal(1, catalog.Code);
        Assert.Contains("models pull yiyanghkust/finbert-tone@main --as finbert-tone", catalog.Error, StringComparison.Ordinal);

        _hub.Corrupt = true;
        var corrupt = await Run("models", "pull", "acme/tiny-finbert@main", "--as", "tiny");
        Assert.Equal(1, corrupt.Code);
        Assert.Contains("refused", corrupt.Error, StringComparison.Ordinal);

        var offline = await Run(new SentimentOptions { HubUrl = "http://127.0.0.1:9" }, "models", "pull", "acme/tiny-finbert@main", "--as", "tiny");
        Assert.Equal(1, offline.Code);
        Assert.Contains("Cannot reach http://127.0.0.1:9", offline.Error, StringComparison.Ordinal);

        var list = await Run("models", "list");
        Assert.DoesNotContain("ready", list.Output.Split('\n').Skip(2).FirstOrDefault() ?? "", StringComparison.Ordinal);
        Assert.Null(new ModelStore(Path.Combine(_data, "models")).Find("tiny"));
    }

    [Theory]
    [InlineData("models")]
    [InlineData("models", "pull")]
    [InlineData("models", "pull", "acme/tiny-finbert@main")] // --as is required
    [InlineData("models", "pull", "acme/tiny-finbert@main", "--as", "Not A Name")]
    [InlineData("models", "pull", "acme/tiny-finbert@main", "--as", "embedded")]
    [InlineData("models", "pull", "acme/tiny-finbert", "--as", "tiny")] // no revision
    [InlineData("models", "pull", "no-such-catalog-model")]
    [InlineData("models", "frobnicate")]
    [InlineData("models", "remove")]
    [InlineData("sentiment", "--engine", "embedded")]
    [InlineData("sentiment", "--verbose", "text")]
    public async Task Usage_errors_exit_2_and_touch_nothing(params string[] args)
    {
        var result = await Run(args);
        Assert.Equal(2, result.Code);
        Assert.NotEmpty(result.Error);
        Assert.Empty(result.Output);
        Assert.Empty(_hub.Requests);
    }

    [Fact]
    public async Task Unknown_engines_and_bad_settings_are_explained()
    {
        var unknown = await Run("sentiment", "--engine", "nope", "--json", "x");
        Assert.Equal(1, unknown.Code);
        Assert.Contains("Unknown sentiment engine \"nope\"", unknown.Error, StringComparison.Ordinal);

        var badHub = await Run(new SentimentOptions { HubUrl = "ftp://example" }, "models", "list");
        Assert.Equal(2, badHub.Code);
        Assert.Contains("Sentiment:HubUrl", badHub.Error, StringComparison.Ordinal);
        Assert.False(SentimentCommandLine.IsRequested(["--urls=http://x", "serve"]));
        Assert.True(SentimentCommandLine.IsRequested(["--demo", "models", "list"]));
    }

    [Fact]
    public async Task Cancelling_a_pull_exits_130_and_the_next_pull_resumes()
    {
        // The weights stop flowing after 4 KB, so the pull cannot finish before Ctrl+C however slow the machine is
        // (a trickle raced the download on a busy CI runner); Ctrl+C comes a second after the file's first progress line.
        _hub.StallAfterBytes = 4096;
        using var cancellation = new CancellationTokenSource();
        using var output = new StringWriter();
        using var error = new WatchingWriter("Downloading model.safetensors", times: 1, () => cancellation.CancelAfter(TimeSpan.FromSeconds(1)));
        var code = await SentimentCommandLine.RunAsync(["models", "pull", "acme/tiny-finbert@main", "--as", "tiny"],
            new SentimentOptions { HubUrl = _hub.Url.ToString() }, _data, output, error, _http, cancellation.Token);
        Assert.Equal(130, code);
        Assert.Contains("resume", error.ToString(), StringComparison.Ordinal);
        var partial = Path.Combine(_data, "models", ".partial", "tiny", "model.safetensors.partial");
        Assert.True(File.Exists(partial), error.ToString());
        var kept = new FileInfo(partial).Length;
        Assert.Equal(4096, kept);

        _hub.StallAfterBytes = null;
        var resumed = await Run("models", "pull", "acme/tiny-finbert@main", "--as", "tiny");
        Assert.Equal(0, resumed.Code);
        Assert.Contains(_hub.Requests, r => r.Range == $"bytes={kept}-");
    }

    /// <summary>A StringWriter that calls <c>then</c> when a line containing <c>text</c> was written <c>times</c> times.</summary>
    private sealed class WatchingWriter(string text, int times, Action then) : StringWriter
    {
        private int _seen;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(text, StringComparison.Ordinal) == true && Interlocked.Increment(ref _seen) == times)
            {
                then();
            }
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
