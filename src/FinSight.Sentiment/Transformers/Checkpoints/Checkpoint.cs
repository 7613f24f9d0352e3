using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace FinSight.Sentiment.Transformers.Checkpoints;

/// <summary>
/// The weights of a model, read without Python from the formats the Hugging Face Hub serves:
/// PyTorch's zip checkpoint (<c>pytorch_model.bin</c> since PyTorch 1.6: <c>*/data.pkl</c> plus one
/// raw little-endian file per storage), PyTorch's older "legacy" stream (magic number, pickles, then
/// the storages back to back), and <c>model.safetensors</c> (a JSON header, then raw tensors).
/// Tensors are read lazily; dispose the checkpoint when done.
/// </summary>
internal sealed class Checkpoint : IDisposable
{
    private readonly Stream _file;
    private readonly ZipArchive? _zip;

    private Checkpoint(Stream file, ZipArchive? zip, string format, IReadOnlyDictionary<string, CheckpointTensor> tensors)
    {
        _file = file;
        _zip = zip;
        Format = format;
        Tensors = tensors;
    }

    /// <summary>"pytorch-zip", "pytorch-legacy" or "safetensors".</summary>
    public string Format { get; }

    /// <summary>Tensors by their state-dict name, in file order.</summary>
    public IReadOnlyDictionary<string, CheckpointTensor> Tensors { get; }

    /// <exception cref="InvalidDataException">The file is not a checkpoint in a supported format, or is damaged.</exception>
    public static Checkpoint Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        try
        {
            Span<byte> head = stackalloc byte[8];
            file.ReadExactly(head);
            file.Position = 0;
            if (head[0] == 'P' && head[1] == 'K')
            {
                return OpenZip(file);
            }

            if (head[0] == 0x80 && head[1] == 0x02)
            {
                return OpenLegacy(file);
            }

            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(head);
            if (headerLength > 0 && headerLength < 100_000_000 && (long)headerLength + 8 <= file.Length)
            {
                return OpenSafetensors(file, (long)headerLength);
            }

            throw new InvalidDataException($"{Path.GetFileName(path)} is neither a PyTorch checkpoint nor a safetensors file.");
        }
        catch (Exception error) when (error is InvalidDataException or EndOfStreamException or JsonException or InvalidCastException or KeyNotFoundException or IndexOutOfRangeException)
        {
            file.Dispose();
            throw error as InvalidDataException ?? new InvalidDataException($"{Path.GetFileName(path)} is damaged or not a supported checkpoint: {error.Message}", error);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _zip?.Dispose();
        _file.Dispose();
    }

    private static Checkpoint OpenZip(FileStream file)
    {
        var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        // The archive's top folder is named after the file it was saved as ("archive" or e.g. "pytorch_model").
        var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
            ?? throw new InvalidDataException("The zip file has no data.pkl: not a PyTorch checkpoint.");
        var prefix = pickle.FullName[..^"data.pkl".Length];
        var byteOrder = zip.GetEntry(prefix + "byteorder");
        if (byteOrder is not null)
        {
            using var reader = new StreamReader(byteOrder.Open());
            if (reader.ReadToEnd().Trim() != "little")
            {
                throw new InvalidDataException("The checkpoint was saved big-endian; only little-endian checkpoints are supported.");
            }
        }

        byte[] ReadStorage(string key, long offset, long count)
        {
            var entry = zip.GetEntry(prefix + "data/" + key) ?? throw new InvalidDataException($"The checkpoint has no storage {key}.");
            using var stream = entry.Open();
            if (stream.CanSeek)
            {
                stream.Seek(offset, SeekOrigin.Begin);
            }
            else
            {
                SkipBytes(stream, offset);
            }

            var bytes = new byte[count];
            var read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            return read == bytes.Length ? bytes : bytes[..read];
        }

        object? root;
        using (var stream = pickle.Open())
        {
            root = PickleReader.Load(stream, pid => PersistentStorage(pid), Construct);
        }

        var tensors = StateDict(root, storage => (offset, count) => ReadStorage(storage.Key, offset, count));
        return new Checkpoint(file, zip, "pytorch-zip", tensors);
    }

    private static Checkpoint OpenLegacy(FileStream file)
    {
        // torch.save(_use_new_zipfile_serialization=False): magic number, protocol version and system
        // information as three pickles, then the state dict, then the sorted storage keys, then each
        // storage in that order as an int64 element count followed by its raw bytes.
        static object? Plain(Stream s) => PickleReader.Load(s, _ => throw new InvalidDataException("Unexpected persistent id."), Construct);
        if (Plain(file) is not System.Numerics.BigInteger magic || magic != System.Numerics.BigInteger.Parse("1950a86a20f9469cfc6c", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException("The file is a pickle but not a PyTorch checkpoint (wrong magic number).");
        }

        if (Plain(file) is not long version || version != 1001)
        {
            throw new InvalidDataException("Unsupported PyTorch legacy checkpoint version.");
        }

        if (Plain(file) is PickleDict info && info.TryGetValue("little_endian", out var little) && little is false)
        {
            throw new InvalidDataException("The checkpoint was saved big-endian; only little-endian checkpoints are supported.");
        }

        var storages = new Dictionary<string, StorageRef>(StringComparer.Ordinal);
        var root = PickleReader.Load(file, pid =>
        {
            var storage = PersistentStorage(pid);
            if (pid is object?[] { Length: >= 6 } tuple && tuple[5] is object?[] { Length: 3 })
            {
                throw new InvalidDataException("The checkpoint uses storage views, which this reader does not support.");
            }

            storages.TryAdd(storage.Key, storage);
            return storage;
        }, Construct);
        var keys = PickleReader.Load(file, _ => null, Construct) as List<object?> ?? throw new InvalidDataException("The checkpoint's storage key list is missing.");
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        Span<byte> count = stackalloc byte[8];
        foreach (var key in keys.Cast<string>())
        {
            var storage = storages.TryGetValue(key, out var s) ? s : throw new InvalidDataException($"Storage {key} is listed but never used.");
            file.ReadExactly(count);
            var elements = BinaryPrimitives.ReadInt64LittleEndian(count);
            offsets[key] = file.Position;
            file.Seek(elements * CheckpointTensor.ElementSize(storage.DType), SeekOrigin.Current);
        }

        if (file.Position > file.Length)
        {
            throw new InvalidDataException("The checkpoint is truncated.");
        }

        var tensors = StateDict(root, storage => (offset, length) =>
        {
            var bytes = new byte[length];
            var read = RandomAccess.Read(file.SafeFileHandle, bytes, offsets[storage.Key] + offset);
            return read == bytes.Length ? bytes : bytes[..read];
        });
        return new Checkpoint(file, null, "pytorch-legacy", tensors);
    }

    private static Checkpoint OpenSafetensors(FileStream file, long headerLength)
    {
        var header = new byte[headerLength];
        file.Position = 8;
        file.ReadExactly(header);
        using var json = JsonDocument.Parse(header);
        var dataStart = 8 + headerLength;
        var tensors = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
        foreach (var entry in json.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                continue;
            }

            var dtype = entry.Value.GetProperty("dtype").GetString() switch
            {
                "F32" => TensorDType.Float32,
                "F16" => TensorDType.Float16,
                "BF16" => TensorDType.BFloat16,
                "F64" => TensorDType.Float64,
                "I64" => TensorDType.Int64,
                "I32" => TensorDType.Int32,
                "U8" => TensorDType.UInt8,
                "BOOL" => TensorDType.Bool,
                var other => throw new InvalidDataException($"Tensor {entry.Name} has unsupported dtype {other}."),
            };
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var range = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var expected = shape.Aggregate(1L, (a, b) => a * b) * CheckpointTensor.ElementSize(dtype);
            if (range.Length != 2 || range[1] - range[0] != expected || dataStart + range[1] > file.Length)
            {
                throw new InvalidDataException($"Tensor {entry.Name} has data offsets that do not match its shape or the file size.");
            }

            var begin = dataStart + range[0];
            tensors[entry.Name] = new CheckpointTensor(entry.Name, dtype, shape, (offset, length) =>
            {
                var bytes = new byte[length];
                var read = RandomAccess.Read(file.SafeFileHandle, bytes, begin + offset);
                return read == bytes.Length ? bytes : bytes[..read];
            });
        }

        return new Checkpoint(file, null, "safetensors", tensors);
    }

    private sealed record StorageRef(string Key, TensorDType DType, long Elements);

    private sealed record TensorRef(StorageRef Storage, long Offset, long[] Shape, long[] Strides);

    private static StorageRef PersistentStorage(object? pid)
    {
        // ('storage', torch.FloatStorage, key, location, numel[, view_metadata])
        if (pid is not object?[] { Length: >= 5 } tuple || tuple[0] is not "storage" || tuple[1] is not PickleGlobal type)
        {
            throw new InvalidDataException("The checkpoint refers to something that is not a tensor storage.");
        }

        var dtype = type.Name switch
        {
            "FloatStorage" => TensorDType.Float32,
            "HalfStorage" => TensorDType.Float16,
            "BFloat16Storage" => TensorDType.BFloat16,
            "DoubleStorage" => TensorDType.Float64,
            "LongStorage" => TensorDType.Int64,
            "IntStorage" => TensorDType.Int32,
            "ByteStorage" => TensorDType.UInt8,
            "BoolStorage" => TensorDType.Bool,
            _ => throw new InvalidDataException($"Unsupported storage type {type}."),
        };
        return new StorageRef(tuple[2] as string ?? throw new InvalidDataException("A storage key is not a string."), dtype, tuple[4] as long? ?? throw new InvalidDataException("A storage size is not an integer."));
    }

    // The only constructors a state dict needs. Anything else is refused: unpickling must never be
    // a way to run code or to build objects nobody asked for.
    private static object? Construct(PickleGlobal callable, object?[] args)
    {
        switch (callable.ToString())
        {
            case "collections.OrderedDict":
                return new PickleDict();
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                if (args is not [StorageRef storage, long offset, object?[] size, object?[] stride, ..])
                {
                    throw new InvalidDataException("A tensor in the checkpoint has unexpected rebuild arguments.");
                }

                return new TensorRef(storage, offset, Longs(size), Longs(stride));
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                return args.Length > 0 ? args[0] : null;
            default:
                throw new InvalidDataException($"The checkpoint asks to call {callable}, which a weights file has no reason to do; it is not loaded.");
        }
    }

    private static long[] Longs(object?[] values) =>
        values.Select(v => v as long? ?? throw new InvalidDataException("A tensor's shape is not a tuple of integers.")).ToArray();

    private static Dictionary<string, CheckpointTensor> StateDict(object? root, Func<StorageRef, Func<long, long, byte[]>> storageReader)
    {
        var dict = root as PickleDict ?? throw new InvalidDataException("The checkpoint does not hold a state dict.");
        if (!dict.Items.Any(i => i.Value is TensorRef))
        {
            // Training checkpoints nest the weights: {"state_dict": {...}} or {"model": {...}}.
            foreach (var key in new[] { "state_dict", "model" })
            {
                if (dict.TryGetValue(key, out var inner) && inner is PickleDict nested)
                {
                    dict = nested;
                    break;
                }
            }
        }

        var tensors = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
        foreach (var (key, value) in dict.Items)
        {
            if (key is string name && value is TensorRef t)
            {
                tensors[name] = new CheckpointTensor(name, t.Storage.DType, t.Shape, storageReader(t.Storage), t.Strides, t.Offset);
            }
        }

        return tensors.Count > 0 ? tensors : throw new InvalidDataException("The checkpoint holds no tensors.");
    }

    private static void SkipBytes(Stream stream, long count)
    {
        var buffer = new byte[Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read == 0)
            {
                return;
            }

            count -= read;
        }
    }
}
