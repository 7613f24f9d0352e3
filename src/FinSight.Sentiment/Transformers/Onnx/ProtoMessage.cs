using System.Buffers.Binary;
using System.Text;

namespace FinSight.Sentiment.Transformers.Onnx;

/// <summary>
/// A protocol-buffers message assembled field by field and written once. Only what an ONNX model
/// needs: varints, 32-bit floats, length-delimited bytes and nested messages. Large payloads (tensor
/// data) are written by a callback when the message is serialised, so a 400 MB model is streamed to
/// disk, never held twice in memory; their length must be known up front, which is what lets every
/// enclosing message compute its size before it writes its length prefix.
/// </summary>
internal sealed class ProtoMessage
{
    private readonly List<Field> _fields = [];
    private long _size = -1;

    public ProtoMessage Varint(int field, long value)
    {
        _fields.Add(new Field(field, WireVarint, value, null, null, null, 0));
        return Changed();
    }

    public ProtoMessage Float(int field, float value)
    {
        _fields.Add(new Field(field, WireFixed32, BitConverter.SingleToInt32Bits(value), null, null, null, 0));
        return Changed();
    }

    public ProtoMessage Bytes(int field, byte[] value)
    {
        _fields.Add(new Field(field, WireLengthDelimited, 0, value, null, null, value.Length));
        return Changed();
    }

    public ProtoMessage String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoMessage Message(int field, ProtoMessage value)
    {
        _fields.Add(new Field(field, WireLengthDelimited, 0, null, value, null, 0));
        return Changed();
    }

    /// <summary>A length-delimited field whose <paramref name="length"/> bytes <paramref name="write"/> produces at serialisation time.</summary>
    public ProtoMessage Deferred(int field, long length, Action<Stream> write)
    {
        _fields.Add(new Field(field, WireLengthDelimited, 0, null, null, write, length));
        return Changed();
    }

    /// <summary>Serialised size in bytes (without a length prefix).</summary>
    public long Size
    {
        get
        {
            if (_size < 0)
            {
                long size = 0;
                foreach (var f in _fields)
                {
                    size += VarintSize(Tag(f.Number, f.WireType));
                    size += f.WireType switch
                    {
                        WireVarint => VarintSize(f.Value),
                        WireFixed32 => 4,
                        _ => PayloadLength(f) + VarintSize(PayloadLength(f)),
                    };
                }

                _size = size;
            }

            return _size;
        }
    }

    public void WriteTo(Stream output)
    {
        Span<byte> buffer = stackalloc byte[10];
        foreach (var f in _fields)
        {
            WriteVarint(output, Tag(f.Number, f.WireType), buffer);
            switch (f.WireType)
            {
                case WireVarint:
                    WriteVarint(output, f.Value, buffer);
                    break;
                case WireFixed32:
                    BinaryPrimitives.WriteInt32LittleEndian(buffer, (int)f.Value);
                    output.Write(buffer[..4]);
                    break;
                default:
                    WriteVarint(output, PayloadLength(f), buffer);
                    if (f.Bytes is not null)
                    {
                        output.Write(f.Bytes);
                    }
                    else if (f.Nested is not null)
                    {
                        f.Nested.WriteTo(output);
                    }
                    else
                    {
                        var start = output.CanSeek ? output.Position : -1;
                        f.Writer!(output);
                        if (start >= 0 && output.Position - start != f.Length)
                        {
                            throw new InvalidOperationException($"Field {f.Number} promised {f.Length} bytes but wrote {output.Position - start}.");
                        }
                    }

                    break;
            }
        }
    }

    private ProtoMessage Changed()
    {
        _size = -1;
        return this;
    }

    private static long PayloadLength(Field f) => f.Nested?.Size ?? f.Length;

    private static long Tag(int number, int wireType) => ((long)number << 3) | (uint)wireType;

    private static int VarintSize(long value)
    {
        var v = (ulong)value;
        var size = 1;
        while (v >= 0x80)
        {
            v >>= 7;
            size++;
        }

        return size;
    }

    private static void WriteVarint(Stream output, long value, Span<byte> buffer)
    {
        var v = (ulong)value; // negative int64 values take ten bytes, as the protobuf encoding requires
        var i = 0;
        while (v >= 0x80)
        {
            buffer[i++] = (byte)(v | 0x80);
            v >>= 7;
        }

        buffer[i++] = (byte)v;
        output.Write(buffer[..i]);
    }

    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    private readonly record struct Field(int Number, int WireType, long Value, byte[]? Bytes, ProtoMessage? Nested, Action<Stream>? Writer, long Length);
}
