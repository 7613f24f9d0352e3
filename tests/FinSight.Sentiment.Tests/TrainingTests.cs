using FinSight.Sentiment.Model;
using FinSight.Sentiment.Training;

namespace FinSight.Sentiment.Tests;

public class TrainingTests
{
    private static readonly TrainingOptions Fast = new() { MaxIterations = 40, MinCount = 1 };

    // Training is what these tests spend their time on: the model trained with Fast is trained once.
    private static readonly Lazy<LinearSentimentModel> FastModel = new(() => LinearModelTrainer.Train(Subset(), Fast, "subset"));

    internal static IReadOnlyList<LabelledText> Subset()
    {
        var path = TestData.SharedSentimentFile("twitter-financial-news-train.csv");
        var data = File.Exists(path) ? LabelledCsv.ReadFile(path).Take(800).ToList() : [];
        // Without the shared data, a tiny hand-made set still exercises the optimiser end to end.
        return data.Count > 0 ? data :
        [
            new("Revenue rose sharply", SentimentLabel.Positive), new("Profit beat estimates", SentimentLabel.Positive),
            new("Costs rose sharply", SentimentLabel.Negative), new("Shares slid on weak demand", SentimentLabel.Negative),
            new("The meeting is on Friday", SentimentLabel.Neutral), new("The company will report results", SentimentLabel.Neutral),
        ];
    }

    [Fact]
    public void Training_twice_gives_byte_identical_models()
    {
        var first = FastModel.Value.ToBytes();
        var second = LinearModelTrainer.Train(Subset(), Fast, "subset").ToBytes();
        Assert.Equal(first, second);
    }

    [Fact]
    public void Different_options_give_a_different_version()
    {
        var a = FastModel.Value;
        var b = LinearModelTrainer.Train(Subset(), Fast with { TermL2 = 0.01 }, "subset");
        Assert.NotEqual(a.Version, b.Version);
    }

    [Fact]
    public void A_trained_model_round_trips_through_its_file_format()
    {
        var model = FastModel.Value;
        using var stream = new MemoryStream(model.ToBytes());
        var loaded = LinearSentimentModel.Read(stream);
        Assert.Equal(model.Version, loaded.Version);
        Assert.Equal(model.FeatureCount, loaded.FeatureCount);
        Assert.Equal(
            new LinearSentimentAnalyzer(model).Analyze("Revenue rose").Probabilities,
            new LinearSentimentAnalyzer(loaded).Analyze("Revenue rose").Probabilities);
    }

    [Fact]
    public void Corrupt_or_foreign_files_are_rejected()
    {
        Assert.Throws<InvalidDataException>(() => LinearSentimentModel.Read(new MemoryStream("NOPE0000"u8.ToArray())));
        var bytes = LinearSentimentModel.LoadEmbedded().ToBytes();
        Assert.Throws<InvalidDataException>(() => LinearSentimentModel.Read(new MemoryStream(bytes[..(bytes.Length / 2)])));
    }

    [Fact]
    public void Invalid_training_input_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => LinearModelTrainer.Train([], Fast, "none"));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearModelTrainer.Train(Subset(), Fast with { ClassBalance = 2 }, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearModelTrainer.Train(Subset(), Fast with { MinCount = 0 }, "x"));
    }

    [Fact]
    public void Csv_reader_handles_quotes_commas_and_newlines()
    {
        var csv = "text,label\n\"Cemex cut, weak outlook\",0\n\"He said \"\"hi\"\"\nthen left\",2\r\nplain,1\n";
        var rows = LabelledCsv.Read(new StringReader(csv));
        Assert.Equal(3, rows.Count);
        Assert.Equal(new LabelledText("Cemex cut, weak outlook", SentimentLabel.Negative), rows[0]);
        Assert.Equal("He said \"hi\"\nthen left", rows[1].Text);
        Assert.Equal(SentimentLabel.Positive, rows[2].Label);
    }

    [Fact]
    public void Csv_reader_reads_the_optional_clear_cut_column()
    {
        var rows = LabelledCsv.Read(new StringReader("text,label,clear_cut\n\"Sales rose, a lot\",1,1\nThe AGM is in May,2,0\n"));
        Assert.Equal([true, false], rows.Select(r => r.ClearCut));
        Assert.Equal(SentimentLabel.Positive, rows[0].Label);
        Assert.Null(LabelledCsv.Read(new StringReader("text,label\nx,1\n"))[0].ClearCut);
    }

    [Fact]
    public void Sample_weights_change_the_model_and_bad_weights_are_rejected()
    {
        var data = Subset();
        var plain = LinearModelTrainer.Train(data, Fast, "subset");
        var ones = LinearModelTrainer.Train(data, Fast, "subset", sampleWeights: data.Select(_ => 1.0).ToArray());
        var weighted = LinearModelTrainer.Train(data, Fast, "subset", sampleWeights: data.Select((_, i) => i % 2 == 0 ? 3.0 : 1.0).ToArray());
        Assert.Equal(plain.Version, ones.Version);
        Assert.NotEqual(plain.Version, weighted.Version);
        Assert.Throws<ArgumentException>(() => LinearModelTrainer.Train(data, Fast, "x", sampleWeights: [1.0]));
        Assert.Throws<ArgumentException>(() => LinearModelTrainer.Train(data, Fast, "x", sampleWeights: data.Select(_ => 0.0).ToArray()));
    }

    [Theory]
    [InlineData("wrong,header\nx,1\n")]
    [InlineData("text,label\nx,7\n")]
    [InlineData("text,label\n\"unterminated,1\n")]
    [InlineData("text,label,clear_cut\nx,1\n")]
    [InlineData("text,label,clear_cut\nx,1,maybe\n")]
    public void Csv_reader_rejects_malformed_files(string csv) =>
        Assert.Throws<InvalidDataException>(() => LabelledCsv.Read(new StringReader(csv)));
}

/// <summary>A full training run, the slowest test here: a class of its own, so it runs beside the others.</summary>
public class FullTrainingTests
{
    [Fact]
    public void A_trained_model_learns_the_training_signal()
    {
        var data = TrainingTests.Subset();
        var model = LinearModelTrainer.Train(data, new TrainingOptions { MinCount = 1 }, "subset");
        Assert.True(SentimentEvaluation.Evaluate(new LinearSentimentAnalyzer(model), data).Accuracy > 0.9);
    }
}
