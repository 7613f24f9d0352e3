using Microsoft.ML.OnnxRuntime;

namespace FinSight.Sentiment.Transformers;

/// <summary>Token ids of several texts padded to the longest one, as ONNX Runtime takes them.</summary>
public sealed class TokenBatch
{
    private TokenBatch(long[] ids, long[] mask, long[] types, int count, int length)
    {
        Ids = ids;
        Mask = mask;
        Types = types;
        Count = count;
        Length = length;
    }

    /// <summary>[Count × Length] token ids, padded with the pad id.</summary>
    public long[] Ids { get; }
    /// <summary>[Count × Length] 1 for real tokens, 0 for padding.</summary>
    public long[] Mask { get; }
    /// <summary>[Count × Length] segment ids (all 0: one text per row).</summary>
    public long[] Types { get; }
    public int Count { get; }
    /// <summary>Tokens per row: the longest sequence of the batch.</summary>
    public int Length { get; }

    /// <summary>A batch from raw row-major arrays (tests and second segments).</summary>
    internal static TokenBatch FromArrays(long[] ids, long[] mask, long[] types, int count, int length) =>
        ids.Length == count * length && mask.Length == ids.Length && types.Length == ids.Length
            ? new TokenBatch(ids, mask, types, count, length)
            : throw new ArgumentException("Ids, mask and types must all hold count × length values.");

    /// <summary>Pads <paramref name="sequences"/> to the longest among them.</summary>
    public static TokenBatch Pad(IReadOnlyList<int[]> sequences, int padId)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one sequence.", nameof(sequences));
        }

        var length = sequences.Max(s => s.Length);
        var ids = new long[sequences.Count * length];
        var mask = new long[ids.Length];
        for (var row = 0; row < sequences.Count; row++)
        {
            var sequence = sequences[row];
            var offset = row * length;
            for (var i = 0; i < length; i++)
            {
                ids[offset + i] = i < sequence.Length ? sequence[i] : padId;
                mask[offset + i] = i < sequence.Length ? 1 : 0;
            }
        }

        return new TokenBatch(ids, mask, new long[ids.Length], sequences.Count, length);
    }
}

/// <summary>
/// One ONNX Runtime session over a BERT-family model (our exported graphs, or a repository's
/// <c>onnx/model.onnx</c>): feeds <c>input_ids</c>, <c>attention_mask</c> and, when the model takes
/// it, <c>token_type_ids</c>, and returns one named float output. ONNX Runtime's Run is thread-safe,
/// so one instance serves every request; create it once per model.
/// </summary>
public sealed class BertSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly bool _takesTokenTypes;

    /// <param name="modelPath">The .onnx file.</param>
    /// <param name="intraOpThreads">Threads one inference may use; 0 lets ONNX Runtime choose (all cores).</param>
    /// <exception cref="InvalidDataException">The file is not an ONNX model ONNX Runtime can load, or lacks the BERT inputs.</exception>
    public BertSession(string modelPath, int intraOpThreads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
        };
        try
        {
            _session = new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException error)
        {
            throw new InvalidDataException($"ONNX Runtime cannot load {modelPath}: {error.Message}", error);
        }

        var inputs = _session.InputMetadata.Keys.ToHashSet(StringComparer.Ordinal);
        if (!inputs.Contains("input_ids") || !inputs.Contains("attention_mask"))
        {
            _session.Dispose();
            throw new InvalidDataException($"{modelPath} does not take input_ids and attention_mask (it takes {string.Join(", ", inputs)}).");
        }

        _takesTokenTypes = inputs.Contains("token_type_ids");
        OutputNames = _session.OutputMetadata.Keys.ToArray();
    }

    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Runs the model on <paramref name="batch"/> and returns output <paramref name="output"/> (row-major) with its shape.</summary>
    public (float[] Values, long[] Shape) Run(TokenBatch batch, string output)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long[] shape = [batch.Count, batch.Length];
        using var ids = OrtValue.CreateTensorValueFromMemory(batch.Ids, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.Mask, shape);
        using var types = OrtValue.CreateTensorValueFromMemory(batch.Types, shape);
        var names = _takesTokenTypes ? new[] { "input_ids", "attention_mask", "token_type_ids" } : ["input_ids", "attention_mask"];
        var values = _takesTokenTypes ? new[] { ids, mask, types } : [ids, mask];
        using var runOptions = new RunOptions();
        using var results = _session.Run(runOptions, names, values, [output]);
        var result = results[0];
        var info = result.GetTensorTypeAndShape();
        return (result.GetTensorDataAsSpan<float>().ToArray(), info.Shape);
    }

    public void Dispose() => _session.Dispose();
}
