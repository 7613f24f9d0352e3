namespace FinSight.Sentiment;

/// <summary>
/// Configuration of the sentiment engine, bound from the "Sentiment" section (Sentiment:Engine,
/// Sentiment:ModelPath, Sentiment:MaxTextLength, Sentiment:MaxEvidence, Sentiment:HubUrl,
/// Sentiment:HubToken, Sentiment:Threads).
/// </summary>
public sealed record SentimentOptions
{
    public const string SectionName = "Sentiment";
    public const string LinearEngine = "finsight-linear";
    public const int DefaultMaxTextLength = 4_000;
    public const int DefaultMaxEvidence = 5;

    /// <summary>
    /// Which engine labels texts: "auto" (the best installed transformer model, else the embedded
    /// one), "embedded" (the linear model shipped in the assembly) or an installed model's name;
    /// see <see cref="SentimentEngines"/>.
    /// </summary>
    public string Engine { get; init; } = SentimentEngines.Auto;

    /// <summary>The Hugging Face Hub models are pulled from; files come from <c>{HubUrl}/{owner}/{repo}/resolve/{revision}/{path}</c>.</summary>
    public string HubUrl { get; init; } = DefaultHubUrl;

    /// <summary>An access token for private or gated repositories (from the environment: Sentiment__HubToken); null for public models.</summary>
    public string? HubToken { get; init; }

    /// <summary>Threads one transformer inference may use; 0 lets ONNX Runtime use every core.</summary>
    public int Threads { get; init; }

    public const string DefaultHubUrl = "https://huggingface.co";

    /// <summary>A model file to load instead of the embedded one; null or empty means embedded.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Characters analysed per text; the rest is ignored (not an error).</summary>
    public int MaxTextLength { get; init; } = DefaultMaxTextLength;

    /// <summary>How many reasons to return per text; 0 disables explanations.</summary>
    public int MaxEvidence { get; init; } = DefaultMaxEvidence;

    // Records print every property; the token must never reach a log.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"Engine = {Engine}, HubUrl = {HubUrl}, HubToken = {(HubToken is null ? "(none)" : "(set)")}, Threads = {Threads}, ModelPath = {ModelPath}, MaxTextLength = {MaxTextLength}, MaxEvidence = {MaxEvidence}");
        return true;
    }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Engine))
        {
            throw new ArgumentException("Sentiment:Engine must name an engine.");
        }

        if (MaxTextLength is < 1 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTextLength), MaxTextLength, "Sentiment:MaxTextLength must be in 1..100000.");
        }

        if (!Uri.TryCreate(HubUrl, UriKind.Absolute, out var hub) || hub.Scheme is not ("https" or "http"))
        {
            throw new ArgumentException($"Sentiment:HubUrl must be an absolute http(s) URL, not \"{HubUrl}\".");
        }

        if (Threads is < 0 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Sentiment:Threads must be in 0..256 (0: all cores).");
        }

        if (MaxEvidence is < 0 or > 50)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEvidence), MaxEvidence, "Sentiment:MaxEvidence must be in 0..50.");
        }
    }
}
