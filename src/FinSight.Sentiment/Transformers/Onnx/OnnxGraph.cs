using System.Runtime.InteropServices;

namespace FinSight.Sentiment.Transformers.Onnx;

/// <summary>ONNX tensor element types used here (values of TensorProto.DataType).</summary>
internal enum OnnxType
{
    Float = 1,
    Int32 = 6,
    Int64 = 7,
}

/// <summary>A node attribute (AttributeProto): an int, a float, a list of ints, or a tensor.</summary>
internal sealed record OnnxAttribute(string Name, long? Int = null, float? Float = null, long[]? Ints = null, ProtoMessage? Tensor = null)
{
    public static OnnxAttribute Of(string name, long value) => new(name, Int: value);
    public static OnnxAttribute Of(string name, float value) => new(name, Float: value);
    public static OnnxAttribute Of(string name, params long[] values) => new(name, Ints: values);

    internal ProtoMessage ToProto()
    {
        // AttributeProto: name = 1, f = 2, i = 3, t = 5, ints = 8, type = 20 (FLOAT 1, INT 2, TENSOR 4, INTS 7).
        var proto = new ProtoMessage().String(1, Name);
        if (Float is { } f)
        {
            proto.Float(2, f).Varint(20, 1);
        }
        else if (Int is { } i)
        {
            proto.Varint(3, i).Varint(20, 2);
        }
        else if (Ints is { } ints)
        {
            foreach (var v in ints)
            {
                proto.Varint(8, v);
            }

            proto.Varint(20, 7);
        }
        else
        {
            proto.Message(5, Tensor ?? throw new InvalidOperationException($"Attribute {Name} has no value.")).Varint(20, 4);
        }

        return proto;
    }
}

/// <summary>
/// Builds an ONNX model (ModelProto) node by node and writes it as protobuf. Tensor data is
/// streamed from callbacks while writing, so the weights of a large model are never all in memory.
/// Field numbers follow onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto).
/// </summary>
internal sealed class OnnxGraph(string name)
{
    /// <summary>IR version 8 goes with opset 17, which has LayerNormalization.</summary>
    public const long IrVersion = 8;
    public const long Opset = 17;

    private readonly ProtoMessage _graph = new ProtoMessage().String(2, name);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    /// <summary>A graph input; a dimension is a fixed size (int/long) or a symbolic name (string).</summary>
    public string Input(string inputName, OnnxType type, params object[] dims)
    {
        Claim(inputName);
        _graph.Message(11, ValueInfo(inputName, type, dims));
        return inputName;
    }

    public void Output(string outputName, OnnxType type, params object[] dims) =>
        _graph.Message(12, ValueInfo(outputName, type, dims));

    /// <summary>An initializer whose <paramref name="byteLength"/> bytes of little-endian data <paramref name="write"/> produces while the model is written.</summary>
    public string Initializer(string tensorName, OnnxType type, long[] dims, long byteLength, Action<Stream> write)
    {
        Claim(tensorName);
        _graph.Message(5, Tensor(tensorName, type, dims).Deferred(9, byteLength, write));
        return tensorName;
    }

    public string Initializer(string tensorName, long[] dims, float[] values)
    {
        CheckCount(dims, values.Length);
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        return Initializer(tensorName, OnnxType.Float, dims, bytes.Length, s => s.Write(bytes));
    }

    public string Int64s(string tensorName, params long[] values)
    {
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        return Initializer(tensorName, OnnxType.Int64, [values.Length], bytes.Length, s => s.Write(bytes));
    }

    public string Scalar(string tensorName, float value)
    {
        var bytes = BitConverter.GetBytes(value);
        return Initializer(tensorName, OnnxType.Float, [], bytes.Length, s => s.Write(bytes));
    }

    /// <summary>Adds a node with one output and returns that output's name.</summary>
    public string Node(string opType, string[] inputs, string? output = null, params OnnxAttribute[] attributes) =>
        Nodes(opType, inputs, [output], attributes)[0];

    /// <summary>Adds a node; null output names are generated.</summary>
    public string[] Nodes(string opType, string[] inputs, string?[] outputs, params OnnxAttribute[] attributes)
    {
        var names = new string[outputs.Length];
        for (var i = 0; i < outputs.Length; i++)
        {
            names[i] = outputs[i] ?? $"{opType}_{_counter}_{i}";
            Claim(names[i]);
        }

        // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
        var node = new ProtoMessage();
        foreach (var input in inputs)
        {
            node.String(1, input);
        }

        foreach (var output in names)
        {
            node.String(2, output);
        }

        node.String(3, $"{opType}_{_counter++}").String(4, opType);
        foreach (var attribute in attributes)
        {
            node.Message(5, attribute.ToProto());
        }

        _graph.Message(1, node);
        return names;
    }

    /// <summary>Writes the complete ModelProto.</summary>
    public void WriteTo(Stream output, string producer, string docString)
    {
        // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, doc_string = 6, graph = 7, opset_import = 8.
        var model = new ProtoMessage()
            .Varint(1, IrVersion)
            .String(2, producer)
            .String(3, typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "0")
            .String(6, docString)
            .Message(7, _graph)
            .Message(8, new ProtoMessage().String(1, "").Varint(2, Opset));
        model.WriteTo(output);
    }

    /// <summary>Inline tensor proto, e.g. for the <c>value</c> of a ConstantOfShape.</summary>
    public static ProtoMessage InlineTensor(OnnxType type, long[] dims, byte[] data) =>
        Tensor("", type, dims).Bytes(9, data);

    private static ProtoMessage Tensor(string tensorName, OnnxType type, long[] dims)
    {
        // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9.
        var tensor = new ProtoMessage();
        foreach (var d in dims)
        {
            tensor.Varint(1, d);
        }

        return tensor.Varint(2, (long)type).String(8, tensorName);
    }

    private static ProtoMessage ValueInfo(string valueName, OnnxType type, object[] dims)
    {
        // ValueInfoProto { name = 1, type = 2 }; TypeProto { tensor_type = 1 }; Tensor { elem_type = 1, shape = 2 };
        // TensorShapeProto { dim = 1 }; Dimension { dim_value = 1, dim_param = 2 }.
        var shape = new ProtoMessage();
        foreach (var dim in dims)
        {
            var d = dim switch
            {
                string symbol => new ProtoMessage().String(2, symbol),
                int size => new ProtoMessage().Varint(1, size),
                long size => new ProtoMessage().Varint(1, size),
                _ => throw new ArgumentException($"Dimension {dim} is neither a size nor a name."),
            };
            shape.Message(1, d);
        }

        var tensorType = new ProtoMessage().Varint(1, (long)type).Message(2, shape);
        return new ProtoMessage().String(1, valueName).Message(2, new ProtoMessage().Message(1, tensorType));
    }

    private void Claim(string valueName)
    {
        if (!_names.Add(valueName))
        {
            throw new InvalidOperationException($"The ONNX graph already has a value named '{valueName}'.");
        }
    }

    private static void CheckCount(long[] dims, long count)
    {
        var expected = dims.Aggregate(1L, (a, b) => a * b);
        if (expected != count)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", dims)}] needs {expected} values, got {count}.");
        }
    }
}
