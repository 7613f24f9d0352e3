using FinSight.Sentiment.Model;

namespace FinSight.Sentiment.Tests;

internal static class TestData
{
    public static readonly Lazy<LinearSentimentAnalyzer> Analyzer = new(() => new LinearSentimentAnalyzer(LinearSentimentModel.LoadEmbedded()));

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The shared data lives next to the repository, never inside it.</summary>
    public static string SharedSentimentFile(string name) =>
        Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "sentiment", name));

    public static string CorporateNewsFile => Path.Combine(RepositoryRoot, "tests", "FinSight.Sentiment.Tests", "Data", "corporate-news-eval.csv");

    /// <summary>Written before the lexicon and phrase rules were extended, and never used to tune them.</summary>
    public static string CorporateNewsHoldoutFile => Path.Combine(RepositoryRoot, "tests", "FinSight.Sentiment.Tests", "Data", "corporate-news-holdout-2.csv");

    /// <summary>Corporate news written from scratch for tuning the embedded model (never trained on); has a clear_cut column.</summary>
    public static string CorporateNewsValidationFile => Path.Combine(RepositoryRoot, "tests", "FinSight.Sentiment.Tests", "Data", "corporate-news-validation.csv");

    /// <summary>The company-news sentences the embedded model is trained on, besides the tweets.</summary>
    public static string CorporateNewsTrainingFile => Path.Combine(RepositoryRoot, "tools", "FinSight.SentimentTrainer", "Data", "corporate-news-train.csv");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FinSight.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FinSight.slnx not found above the test binaries.");
    }
}
