using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace FinSight.Sentiment.Transformers.Checkpoints;

/// <summary>Element types found in PyTorch and safetensors checkpoints.</summary>
internal enum TensorDType
{
    Float32,
    Float16,
    BFloat16,
    Float64,
    Int64,
    Int32,
    UInt8,
    Bool,
}

/// <summary>
/// One tensor of a checkpoint: its name, type and shape, and where its elements are. The data is
/// read only when asked for (<see cref="ReadFloat32"/>), one tensor at a time, so converting a
/// 440 MB checkpoint needs memory for its largest tensor, not for all of them.
/// </summary>
internal sealed class CheckpointTensor
{
    private readonly Func<long, long, byte[]> _readBytes;

    /// <param name="name">The state-dict name, e.g. "bert.embeddings.word_embeddings.weight".</param>
    /// <param name="dtype">The element type as stored.</param>
    /// <param name="shape">Sizes per dimension.</param>
    /// <param name="readBytes">Reads <c>count</c> bytes of the backing storage from byte <c>offset</c>.</param>
    /// <param name="strides">Element strides per dimension; null means contiguous (row-major).</param>
    /// <param name="storageOffset">Offset of the first element in the storage, in elements.</param>
    public CheckpointTensor(string name, TensorDType dtype, long[] shape, Func<long, long, byte[]> readBytes, long[]? strides = null, long storageOffset = 0)
    {
        Name = name;
        DType = dtype;
        Shape = shape;
        _readBytes = readBytes;
        Strides = strides ?? ContiguousStrides(shape);
        StorageOffset = storageOffset;
    }

    public string Name { get; }
    public TensorDType DType { get; }
    public long[] Shape { get; }
    public long[] Strides { get; }
    public long StorageOffset { get; }
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public static int ElementSize(TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 or TensorDType.Int32 => 4,
        TensorDType.Float16 or TensorDType.BFloat16 => 2,
        TensorDType.Float64 or TensorDType.Int64 => 8,
        _ => 1,
    };

    public bool IsFloatingPoint => DType is TensorDType.Float32 or TensorDType.Float16 or TensorDType.BFloat16 or TensorDType.Float64;

    /// <summary>The elements in row-major order, converted to float32 (half, bfloat16 and double are widened or narrowed).</summary>
    /// <exception cref="InvalidDataException">The tensor is not floating point, or its storage is shorter than its shape says.</exception>
    public float[] ReadFloat32()
    {
        if (!IsFloatingPoint)
        {
            throw new InvalidDataException($"Tensor {Name} holds {DType}, not floating-point weights.");
        }

        var count = ElementCount;
        if (count > Array.MaxLength)
        {
            throw new InvalidDataException($"Tensor {Name} is too large ({count} elements).");
        }

        var size = ElementSize(DType);
        var result = new float[count];
        if (IsContiguous())
        {
            var bytes = Read(StorageOffset * size, count * size);
            Convert(bytes, result);
            return result;
        }

        // A strided view (rare in saved state dicts): read the span it covers, then gather.
        long last = StorageOffset;
        for (var d = 0; d < Shape.Length; d++)
        {
            last += (Shape[d] - 1) * Strides[d];
        }

        var span = Read(StorageOffset * size, (last - StorageOffset + 1) * size);
        var all = new float[span.Length / size];
        Convert(span, all);
        var index = new long[Shape.Length];
        for (long i = 0; i < count; i++)
        {
            long offset = 0;
            for (var d = 0; d < Shape.Length; d++)
            {
                offset += index[d] * Strides[d];
            }

            result[i] = all[offset];
            for (var d = Shape.Length - 1; d >= 0 && ++index[d] == Shape[d]; d--)
            {
                index[d] = 0;
            }
        }

        return result;
    }

    private byte[] Read(long offset, long count)
    {
        var bytes = _readBytes(offset, count);
        return bytes.Length == count
            ? bytes
            : throw new InvalidDataException($"Tensor {Name}: the checkpoint holds {bytes.Length} of its {count} bytes.");
    }

    private bool IsContiguous()
    {
        var expected = ContiguousStrides(Shape);
        for (var d = 0; d < Shape.Length; d++)
        {
            if (Shape[d] > 1 && Strides[d] != expected[d])
            {
                return false;
            }
        }

        return true;
    }

    private void Convert(byte[] bytes, float[] result)
    {
        switch (DType)
        {
            case TensorDType.Float32:
                MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, result.Length * 4)).CopyTo(result);
                break;
            case TensorDType.Float16:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(i * 2));
                }

                break;
            case TensorDType.BFloat16:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i * 2)) << 16);
                }

                break;
            case TensorDType.Float64:
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8));
                }

                break;
            default:
                throw new InvalidDataException($"Tensor {Name} holds {DType}, not floating-point weights.");
        }
    }

    private static long[] ContiguousStrides(long[] shape)
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
}
