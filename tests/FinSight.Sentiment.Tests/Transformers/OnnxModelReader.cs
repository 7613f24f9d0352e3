using System.Runtime.InteropServices;
using System.Text;

namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>
/// Reads the nodes and float initializers of an ONNX model (just the protobuf fields needed), so a
/// model exported by PyTorch can be taken apart and its weights fed to our own exporter.
/// </summary>
internal sealed class OnnxModelReader
{
    public sealed record Node(string OpType, string[] Inputs, string[] Outputs);

    public sealed record Initializer(string Name, long[] Shape, float[]? Values);

    public List<Node> Nodes { get; } = [];
    public Dictionary<string, Initializer> Initializers { get; } = new(StringComparer.Ordinal);

    public static OnnxModelReader Read(string path)
    {
        var reader = new OnnxModelReader();
        var model = File.ReadAllBytes(path);
        foreach (var (field, value) in Fields(model))
        {
            if (field == 7) // ModelProto.graph
            {
                reader.ReadGraph(value);
            }
        }

        return reader;
    }

    private void ReadGraph(ReadOnlyMemory<byte> graph)
    {
        foreach (var (field, value) in Fields(graph))
        {
            if (field == 1) // GraphProto.node
            {
                string op = "";
                List<string> inputs = [], outputs = [];
                foreach (var (f, v) in Fields(value))
                {
                    switch (f)
                    {
                        case 1: inputs.Add(Text(v)); break;
                        case 2: outputs.Add(Text(v)); break;
                        case 4: op = Text(v); break;
                    }
                }

                Nodes.Add(new Node(op, [.. inputs], [.. outputs]));
            }
            else if (field == 5) // GraphProto.initializer (TensorProto)
            {
                string name = "";
                List<long> dims = [];
                long type = 0;
                ReadOnlyMemory<byte> raw = default;
                List<float> floats = [];
                var fields = Fields(value, out var varints);
                foreach (var (f, v) in fields)
                {
                    switch (f)
                    {
                        case 8: name = Text(v); break;
                        case 9: raw = v; break;
                        case 1: dims.AddRange(PackedVarints(v)); break; // dims written packed
                        case 4: floats.AddRange(MemoryMarshal.Cast<byte, float>(v.Span).ToArray()); break; // packed float_data
                    }
                }

                foreach (var (f, n) in varints)
                {
                    if (f == 1) dims.Add(n);
                    if (f == 2) type = n;
                }

                float[]? values = type == 1 ? (raw.Length > 0 ? MemoryMarshal.Cast<byte, float>(raw.Span).ToArray() : [.. floats]) : null;
                Initializers[name] = new Initializer(name, [.. dims], values);
            }
        }
    }

    private static IEnumerable<long> PackedVarints(ReadOnlyMemory<byte> bytes)
    {
        var values = new List<long>();
        var i = 0;
        while (i < bytes.Length)
        {
            values.Add((long)ReadVarint(bytes.Span, ref i));
        }

        return values;
    }

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    private static List<(int Field, ReadOnlyMemory<byte> Value)> Fields(ReadOnlyMemory<byte> message) => Fields(message, out _);

    // Length-delimited fields with their payloads; varint fields separately; fixed-size fields skipped.
    private static List<(int Field, ReadOnlyMemory<byte> Value)> Fields(ReadOnlyMemory<byte> message, out List<(int Field, long Value)> varints)
    {
        var result = new List<(int, ReadOnlyMemory<byte>)>();
        varints = [];
        var span = message.Span;
        var i = 0;
        while (i < span.Length)
        {
            var tag = ReadVarint(span, ref i);
            var field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0: varints.Add((field, (long)ReadVarint(span, ref i))); break;
                case 1: i += 8; break;
                case 5: i += 4; break;
                case 2:
                    var length = (int)ReadVarint(span, ref i);
                    result.Add((field, message.Slice(i, length)));
                    i += length;
                    break;
                default: throw new InvalidDataException($"Unsupported wire type in field {field}.");
            }
        }

        return result;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = span[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
