using FinSight.Sentiment.Transformers;

namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>
/// The engine's tokenizer (Hugging Face's Rust tokenizers with the tokenizer.json the engine builds
/// from vocab.txt) against a transcription of transformers' slow BertTokenizer, on headlines that
/// trip naive tokenizers, with the real bert-base-uncased vocabulary of all-MiniLM-L6-v2.
/// </summary>
public sealed class TokenizerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "finsight-tests", "tokenizer-" + Guid.NewGuid().ToString("N"));

    public static readonly string[] TrickyHeadlines =
    [
        "$AAPL jumps 3% after earnings beat; $MSFT flat",
        "Siemens wins €1.2bn rail order",
        "Retail sales (+4.5% y/y) beat forecasts",
        "Nestlé, Café Zürich and naïve résumés: Ångström über Straße",
        "Stocks 🚀📉 as traders 👩‍💼 react to CPI 🇺🇸",
        "Oil\tprices\nslide\r\nas  OPEC+ meets",
        "トヨタ自動車 raises outlook; 腾讯控股 shares rise 5%",
        "Ticker " + new string('x', 120) + " halted",
        "[CLS] written in the text, [SEP] too, and [cls] in lower case",
        "İstanbul exchange: ΟΔΥΣΣΕΥΣ Shipping; ﬁnance ＡＢＣ Ⅻ",
        "Non\u00A0breaking\u2003spaces, zero\u200Bwidth, bell\u0007 and e\u0301 combining",
        "U.S. 10-K/20-F filings: don't \"quote\" me — 'really' … ok?",
        "ΑΣ.Α ΑΣ'Α Σ ΑΣ,Β: final sigma only at the end of a word",
        "   ",
        "",
    ];

    [Fact]
    public void Ids_equal_hugging_face_bert_tokenizer_on_tricky_headlines_uncased()
    {
        var vocabulary = BertTokenizerFiles.ReadVocabulary(Path.Combine(ModelFiles.MiniLmFolder, "vocab.txt"));
        AssertSameAsReference(vocabulary, new BertTokenizerSettings(), maxLength: 512, TrickyHeadlines);
    }

    [Theory]
    [InlineData(false, null)] // cased: no lower-casing, and (BertTokenizer's rule) no accent stripping
    [InlineData(true, false)] // lower-cased but accents kept
    [InlineData(false, true)] // cased but accents stripped
    public void The_tokenizer_config_decides_lower_casing_and_accent_stripping(bool lowerCase, bool? stripAccents)
    {
        var vocabulary = BertTokenizerFiles.ReadVocabulary(Path.Combine(ModelFiles.MiniLmFolder, "vocab.txt"));
        AssertSameAsReference(vocabulary, new BertTokenizerSettings { LowerCase = lowerCase, StripAccents = stripAccents }, maxLength: 512, TrickyHeadlines);
    }

    [Fact]
    public void Long_texts_are_truncated_to_the_model_length_keeping_cls_and_sep()
    {
        var vocabulary = BertTokenizerFiles.ReadVocabulary(Path.Combine(ModelFiles.MiniLmFolder, "vocab.txt"));
        var longText = string.Join(" ", Enumerable.Repeat("Profit rose 12% while revenue climbed, beating estimates;", 80));
        var ids = AssertSameAsReference(vocabulary, new BertTokenizerSettings(), maxLength: 16, [longText, "short one"]);
        Assert.Equal(16, ids[0].Length);
        Assert.Equal(vocabulary["[CLS]"], ids[0][0]);
        Assert.Equal(vocabulary["[SEP]"], ids[0][^1]);
        Assert.Equal(4, ids[1].Length);
    }

    [Fact]
    public void Known_ids_of_the_bert_base_uncased_vocabulary()
    {
        // Anchors independent of both implementations: ids read straight from vocab.txt lines.
        var vocabulary = BertTokenizerFiles.ReadVocabulary(Path.Combine(ModelFiles.MiniLmFolder, "vocab.txt"));
        using var tokenizer = Tokenizer(vocabulary, new BertTokenizerSettings(), 512);
        Assert.Equal(101, vocabulary["[CLS]"]);
        Assert.Equal([101, 101, vocabulary["apple"], 102, 102], tokenizer.Encode("[CLS] Apple [SEP]"));
        Assert.Equal([101, vocabulary["$"], vocabulary["aa"], vocabulary["##pl"], 102], tokenizer.Encode("$AAPL"));
        Assert.Equal([101, vocabulary["nest"], vocabulary["##le"], 102], tokenizer.Encode("Nestlé"));
        Assert.Equal([101, vocabulary["ο"], vocabulary["##δ"], vocabulary["##υ"], vocabulary["##σ"], vocabulary["##σ"], vocabulary["##ε"], vocabulary["##υ"], vocabulary["##ς"], 102], tokenizer.Encode("ΟΔΥΣΣΕΥΣ"));
        Assert.Equal([101, vocabulary["[UNK]"], 102], tokenizer.Encode(new string('a', 120)));
        Assert.Equal([101, 102], tokenizer.Encode(" \t\n "));
    }

    [Fact]
    public void Lone_surrogates_are_dropped_like_the_replacement_character()
    {
        var vocabulary = BertTokenizerFiles.ReadVocabulary(Path.Combine(ModelFiles.MiniLmFolder, "vocab.txt"));
        using var tokenizer = Tokenizer(vocabulary, new BertTokenizerSettings(), 512);
        Assert.Equal(tokenizer.Encode("shares rise"), tokenizer.Encode("shares \uD83D rise\uDC00"));
    }

    [Fact]
    public void The_tiny_reference_vocabulary_tokenizes_like_bert_tokenizer()
    {
        var folder = ModelFiles.TinyBertNer;
        var vocabulary = BertTokenizerFiles.ReadVocabulary(Path.Combine(folder, "vocab.txt"));
        var settings = BertTokenizerSettings.Load(Path.Combine(folder, "tokenizer_config.json"));
        Assert.True(settings.LowerCase);
        AssertSameAsReference(vocabulary, settings, maxLength: 16, TrickyHeadlines);
    }

    [Fact]
    public void A_repository_tokenizer_json_gets_the_model_truncation()
    {
        var vocabulary = BertTokenizerFiles.ReadVocabulary(Path.Combine(ModelFiles.MiniLmFolder, "vocab.txt"));
        var original = BertTokenizerFiles.FromVocabulary(vocabulary, new BertTokenizerSettings(), 512);
        var path = Path.Combine(Directory.CreateDirectory(_folder).FullName, "repo-tokenizer.json");
        File.WriteAllText(path, BertTokenizerFiles.WithTruncation(original, 8));
        using var tokenizer = WordPieceTokenizer.Load(path);
        Assert.Equal(8, tokenizer.MaxLength);
        Assert.Equal(8, tokenizer.Encode(TrickyHeadlines[0]).Length);
        Assert.Throws<InvalidDataException>(() => BertTokenizerFiles.WithTruncation("""{"model":{"type":"BPE"}}""", 8));
    }

    private int[][] AssertSameAsReference(IReadOnlyDictionary<string, int> vocabulary, BertTokenizerSettings settings, int maxLength, string[] texts)
    {
        using var tokenizer = Tokenizer(vocabulary, settings, maxLength);
        var reference = new ReferenceBertTokenizer(vocabulary, settings.LowerCase, settings.StripAccents, maxLength);
        var results = new int[texts.Length][];
        foreach (var (text, i) in texts.Select((t, i) => (t, i)))
        {
            results[i] = tokenizer.Encode(text);
            var expected = reference.Encode(text);
            Assert.True(expected.SequenceEqual(results[i]),
                $"\"{text}\" ({settings}):\n expected [{string.Join(", ", expected)}]\n actual   [{string.Join(", ", results[i])}]");
        }

        return results;
    }

    private WordPieceTokenizer Tokenizer(IReadOnlyDictionary<string, int> vocabulary, BertTokenizerSettings settings, int maxLength)
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, BertTokenizerFiles.FromVocabulary(vocabulary, settings, maxLength));
        return WordPieceTokenizer.Load(path);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
