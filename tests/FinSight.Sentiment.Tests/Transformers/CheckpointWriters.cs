using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace FinSight.Sentiment.Tests.Transformers;

/// <summary>
/// Writes state dicts in the three formats the Hub serves, byte for byte as PyTorch and safetensors
/// lay them out, so the production readers are tested on files they did not write themselves.
/// </summary>
internal static class CheckpointWriters
{
    public static void WriteSafetensors(string path, IReadOnlyDictionary<string, TinyBert.Weight> tensors)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        long offset = 0;
        foreach (var (name, weight) in tensors)
        {
            var length = weight.Values.Length * 4L;
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(weight.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + length),
            };
            offset += length;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var file = File.Create(path);
        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(size, (ulong)json.Length);
        file.Write(size);
        file.Write(json);
        foreach (var weight in tensors.Values)
        {
            file.Write(MemoryMarshal.AsBytes(weight.Values.AsSpan()));
        }
    }

    /// <summary>
    /// torch.save's zip format. To exercise the reader's general path, <paramref name="transposedView"/>
    /// is stored transposed and rebuilt as a strided view, and the query and key biases of the first
    /// layer share one storage at different offsets, as tied or sliced parameters do.
    /// </summary>
    public static void WritePyTorchZip(string path, IReadOnlyDictionary<string, TinyBert.Weight> tensors, string? transposedView = null, string folder = "archive")
    {
        var storages = new List<byte[]>();
        var pickle = new PickleWriter();
        pickle.Proto().Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        const string shared = "bert.encoder.layer.0.attention.self.";
        int? sharedKey = null;
        foreach (var (name, weight) in tensors)
        {
            pickle.String(name);
            if (name == transposedView && weight.Shape.Length == 2)
            {
                var (rows, columns) = ((int)weight.Shape[0], (int)weight.Shape[1]);
                var transposed = new float[weight.Values.Length];
                for (var r = 0; r < rows; r++)
                {
                    for (var c = 0; c < columns; c++)
                    {
                        transposed[c * rows + r] = weight.Values[r * columns + c];
                    }
                }

                storages.Add(Bytes(transposed));
                pickle.Tensor("FloatStorage", (storages.Count - 1).ToString(), transposed.Length, 0, weight.Shape, [1, rows], legacy: false);
            }
            else if (name is shared + "query.bias" or shared + "key.bias")
            {
                // One storage: the query bias, then the key bias.
                if (sharedKey is null)
                {
                    storages.Add([.. Bytes(tensors[shared + "query.bias"].Values), .. Bytes(tensors[shared + "key.bias"].Values)]);
                    sharedKey = storages.Count - 1;
                }

                var offset = name.EndsWith("query.bias", StringComparison.Ordinal) ? 0 : weight.Values.Length;
                pickle.Tensor("FloatStorage", sharedKey.Value.ToString(), weight.Values.Length * 2, offset, weight.Shape, [1], legacy: false);
            }
            else
            {
                storages.Add(Bytes(weight.Values));
                pickle.Tensor("FloatStorage", (storages.Count - 1).ToString(), weight.Values.Length, 0, weight.Shape, Strides(weight.Shape), legacy: false);
            }
        }

        // A non-float buffer, as real BERT checkpoints carry (position_ids): the reader must keep it out of the weights.
        pickle.String("bert.embeddings.position_ids");
        storages.Add(MemoryMarshal.AsBytes(Enumerable.Range(0, TinyBert.MaxPositions).Select(i => (long)i).ToArray().AsSpan()).ToArray());
        pickle.Tensor("LongStorage", (storages.Count - 1).ToString(), TinyBert.MaxPositions, 0, [1, TinyBert.MaxPositions], [TinyBert.MaxPositions, 1], legacy: false);
        pickle.SetItems().Stop();

        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        void Entry(string name, byte[] data)
        {
            using var stream = zip.CreateEntry($"{folder}/{name}", CompressionLevel.NoCompression).Open();
            stream.Write(data);
        }

        Entry("data.pkl", pickle.ToArray());
        Entry("byteorder", "little"u8.ToArray());
        for (var i = 0; i < storages.Count; i++)
        {
            Entry($"data/{i}", storages[i]);
        }

        Entry("version", "3\n"u8.ToArray());
    }

    /// <summary>
    /// torch.save(..., _use_new_zipfile_serialization=False), the format of checkpoints saved before
    /// PyTorch 1.6; LayerNorm parameters carry their TF-era names (gamma/beta) as old BERT uploads do.
    /// </summary>
    public static void WritePyTorchLegacy(string path, IReadOnlyDictionary<string, TinyBert.Weight> tensors)
    {
        using var file = File.Create(path);
        // Magic number, protocol version, system info: three pickles of their own.
        file.Write(new PickleWriter().Proto().Long(BigIntegerMagic).Stop().ToArray());
        file.Write(new PickleWriter().Proto().Int(1001).Stop().ToArray());
        file.Write(new PickleWriter().Proto().EmptyDict().Mark().String("protocol_version").Int(1001).String("little_endian").True()
            .String("type_sizes").EmptyDict().Mark().String("short").Int(2).String("int").Int(4).String("long").Int(4).SetItems().SetItems().Stop().ToArray());

        var pickle = new PickleWriter();
        pickle.Proto().Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        // Storage keys are ids as strings; the file stores them in sorted (string) order, so use keys whose order differs from numeric order.
        var keys = new List<string>();
        var i = 0;
        foreach (var (name, weight) in tensors)
        {
            var key = (1000 - i++ * 7).ToString();
            keys.Add(key);
            pickle.String(name.Replace("LayerNorm.weight", "LayerNorm.gamma", StringComparison.Ordinal).Replace("LayerNorm.bias", "LayerNorm.beta", StringComparison.Ordinal));
            pickle.Tensor("FloatStorage", key, weight.Values.Length, 0, weight.Shape, Strides(weight.Shape), legacy: true);
        }

        pickle.SetItems().Stop();
        file.Write(pickle.ToArray());
        var sorted = keys.Order(StringComparer.Ordinal).ToList();
        var list = new PickleWriter().Proto().EmptyList().Mark();
        foreach (var key in sorted)
        {
            list.String(key);
        }

        file.Write(list.Appends().Stop().ToArray());
        var byKey = keys.Zip(tensors.Values).ToDictionary(p => p.First, p => p.Second);
        Span<byte> count = stackalloc byte[8];
        foreach (var key in sorted)
        {
            BinaryPrimitives.WriteInt64LittleEndian(count, byKey[key].Values.Length);
            file.Write(count);
            file.Write(MemoryMarshal.AsBytes(byKey[key].Values.AsSpan()));
        }
    }

    private static readonly byte[] BigIntegerMagic = Convert.FromHexString("1950a86a20f9469cfc6c").Reverse().ToArray();

    private static byte[] Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static long[] Strides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= shape[d];
        }

        return strides;
    }

    /// <summary>Pickle protocol 2, the opcodes torch.save emits.</summary>
    private sealed class PickleWriter
    {
        private readonly MemoryStream _stream = new();
        private int _memo;

        public byte[] ToArray() => _stream.ToArray();

        public PickleWriter Proto() => Op(0x80, 2);
        public PickleWriter Stop() => Op('.');
        public PickleWriter Mark() => Op('(');
        public PickleWriter Tuple() => Op('t');
        public PickleWriter EmptyTuple() => Op(')');
        public PickleWriter EmptyDict() => Op('}');
        public PickleWriter EmptyList() => Op(']');
        public PickleWriter Appends() => Op('e');
        public PickleWriter SetItems() => Op('u');
        public PickleWriter Reduce() => Op('R');
        public PickleWriter True() => Op(0x88);
        public PickleWriter False() => Op(0x89);
        public PickleWriter PersistentId() => Op('Q');

        public PickleWriter Global(string module, string name)
        {
            Op('c');
            _stream.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
            return Put();
        }

        public PickleWriter String(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            Op('X');
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            _stream.Write(length);
            _stream.Write(bytes);
            return Put();
        }

        public PickleWriter Int(long value)
        {
            if (value is >= 0 and < 256)
            {
                return Op('K', (byte)value);
            }

            if (value is >= 0 and < 65536)
            {
                Op('M');
                _stream.WriteByte((byte)value);
                _stream.WriteByte((byte)(value >> 8));
                return this;
            }

            Op('J');
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, checked((int)value));
            _stream.Write(bytes);
            return this;
        }

        public PickleWriter Long(byte[] littleEndian)
        {
            Op(0x8a, (byte)littleEndian.Length);
            _stream.Write(littleEndian);
            return this;
        }

        /// <summary>_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()).</summary>
        public PickleWriter Tensor(string storageType, string key, long elements, long offset, long[] shape, long[] strides, bool legacy)
        {
            Global("torch._utils", "_rebuild_tensor_v2").Mark();
            Mark().String("storage").Global("torch", storageType).String(key).String("cpu").Int(elements);
            if (legacy)
            {
                Op('N'); // no view
            }

            Tuple().PersistentId().Int(offset);
            Mark();
            foreach (var d in shape)
            {
                Int(d);
            }

            Tuple().Mark();
            foreach (var s in strides)
            {
                Int(s);
            }

            return Tuple().False().Global("collections", "OrderedDict").EmptyTuple().Reduce().Tuple().Reduce();
        }

        private PickleWriter Put()
        {
            // BINPUT after globals and strings, as CPython's pickler memoizes them.
            if (_memo < 256)
            {
                Op('q', (byte)_memo++);
            }

            return this;
        }

        private PickleWriter Op(int code, params byte[] arguments)
        {
            _stream.WriteByte((byte)code);
            _stream.Write(arguments);
            return this;
        }
    }
}
