using System.Security.Cryptography;
using System.Text;
using FinSight.Sentiment.Text;

namespace FinSight.Sentiment.Model;

/// <summary>
/// A multinomial logistic-regression model over hashed features: three weights per feature and three
/// biases. Immutable once loaded. The file is a small little-endian binary (see <see cref="Write"/>),
/// entries sorted by hash so the same weights always serialise to the same bytes.
/// </summary>
public sealed class LinearSentimentModel
{
    private const string Magic = "FSSM";
    private const int FormatVersion = 1;
    internal const int Classes = 3;

    private readonly WeightTable _table;

    internal LinearSentimentModel(string name, string metadata, float[] bias, ulong[] hashes, float[] weights, float rulePrior)
    {
        if (!float.IsFinite(rulePrior) || rulePrior < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rulePrior), "The rule prior must be a non-negative number.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(metadata);
        if (bias.Length != Classes || weights.Length != hashes.Length * Classes)
        {
            throw new ArgumentException("Weights must have three values per feature.");
        }

        for (var i = 1; i < hashes.Length; i++)
        {
            if (hashes[i] <= hashes[i - 1])
            {
                throw new ArgumentException("Feature hashes must be strictly increasing.", nameof(hashes));
            }
        }

        Name = name;
        Metadata = metadata;
        Bias = bias;
        Hashes = hashes;
        Weights = weights;
        RulePrior = rulePrior;
        _table = new WeightTable(hashes);
        Version = $"{name}+{Convert.ToHexStringLower(SHA256.HashData(ToBytes()))[..12]}";
    }

    /// <summary>The engine name recorded in the file, e.g. "finsight-linear".</summary>
    public string Name { get; }

    /// <summary>How the model was trained (data files, options); informational.</summary>
    public string Metadata { get; }

    /// <summary>Name plus a digest of the file's bytes: any retraining that changes a weight changes the version.</summary>
    public string Version { get; }

    public int FeatureCount => Hashes.Length;

    /// <summary>
    /// Logit added per unit of hand-written rule polarity on top of the learned weights. Tweets alone teach the rules
    /// too timidly for news prose (two-thirds of tweets are neutral); this keeps finance knowledge in the decision.
    /// </summary>
    public float RulePrior { get; }

    internal float[] Bias { get; }
    internal ulong[] Hashes { get; }
    internal float[] Weights { get; }

    /// <summary>Index of a feature's first weight in <see cref="Weights"/>, or -1 when the model never saw it.</summary>
    internal int Find(ulong hash) => _table.Find(hash);

    /// <summary>The model that ships inside this assembly.</summary>
    public static LinearSentimentModel LoadEmbedded()
    {
        const string resource = "FinSight.Sentiment.Model.finsight-sentiment.fsm";
        using var stream = typeof(LinearSentimentModel).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded model '{resource}' is missing; run tools/FinSight.SentimentTrainer.");
        return Read(stream);
    }

    public static LinearSentimentModel Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    public static LinearSentimentModel Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (Encoding.ASCII.GetString(reader.ReadBytes(4)) != Magic)
            {
                throw new InvalidDataException("Not a FinSight sentiment model (bad magic).");
            }

            var format = reader.ReadInt32();
            var features = reader.ReadInt32();
            if (format != FormatVersion || features != FeatureExtractor.Version)
            {
                throw new InvalidDataException(
                    $"Model format {format}/features {features} is not supported (expected {FormatVersion}/{FeatureExtractor.Version}); retrain it.");
            }

            var name = reader.ReadString();
            var metadata = reader.ReadString();
            var bias = new float[Classes];
            for (var c = 0; c < Classes; c++)
            {
                bias[c] = reader.ReadSingle();
            }

            var rulePrior = reader.ReadSingle();
            var count = reader.ReadInt32();
            if (count < 0 || count > 10_000_000)
            {
                throw new InvalidDataException($"Implausible feature count {count}.");
            }

            var hashes = new ulong[count];
            var weights = new float[count * Classes];
            for (var i = 0; i < count; i++)
            {
                hashes[i] = reader.ReadUInt64();
                for (var c = 0; c < Classes; c++)
                {
                    weights[(i * Classes) + c] = reader.ReadSingle();
                }
            }

            return new LinearSentimentModel(name, metadata, bias, hashes, weights, rulePrior);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Model file is truncated.", e);
        }
    }

    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Encoding.ASCII.GetBytes(Magic));
        writer.Write(FormatVersion);
        writer.Write(FeatureExtractor.Version);
        writer.Write(Name);
        writer.Write(Metadata);
        foreach (var b in Bias)
        {
            writer.Write(b);
        }

        writer.Write(RulePrior);
        writer.Write(Hashes.Length);
        for (var i = 0; i < Hashes.Length; i++)
        {
            writer.Write(Hashes[i]);
            for (var c = 0; c < Classes; c++)
            {
                writer.Write(Weights[(i * Classes) + c]);
            }
        }
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        Write(stream);
        return stream.ToArray();
    }

    /// <summary>Open addressing over the full 64-bit hashes, so unseen features never borrow a seen feature's weights.</summary>
    private sealed class WeightTable
    {
        private readonly ulong[] _keys;
        private readonly int[] _slots;
        private readonly int _shift;

        public WeightTable(ulong[] hashes)
        {
            var bits = 4;
            while ((1 << bits) < hashes.Length * 2)
            {
                bits++;
            }

            _keys = new ulong[1 << bits];
            _slots = new int[1 << bits];
            _shift = 64 - bits;
            var mask = _keys.Length - 1;
            for (var i = 0; i < hashes.Length; i++)
            {
                if (hashes[i] == 0)
                {
                    throw new ArgumentException("Feature hash 0 is reserved.", nameof(hashes));
                }

                var slot = Slot(hashes[i]);
                while (_keys[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                _keys[slot] = hashes[i];
                _slots[slot] = i * Classes;
            }
        }

        public int Find(ulong hash)
        {
            var mask = _keys.Length - 1;
            var slot = Slot(hash);
            while (true)
            {
                var key = _keys[slot];
                if (key == hash)
                {
                    return _slots[slot];
                }

                if (key == 0)
                {
                    return -1;
                }

                slot = (slot + 1) & mask;
            }
        }

        private int Slot(ulong hash) => (int)((hash * 0x9E3779B97F4A7C15UL) >> _shift);
    }
}
