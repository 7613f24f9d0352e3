using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace FinSight.Sentiment.Transformers.Checkpoints;

/// <summary>A global the pickle names (<c>module.name</c>), e.g. <c>torch._utils._rebuild_tensor_v2</c>.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>
/// The minimal unpickler PyTorch checkpoints need. It never imports or runs anything: globals are
/// only names, and <c>REDUCE</c>/<c>NEWOBJ</c> are handed to a callback that accepts the few
/// constructors a state dict uses (OrderedDict, tensor rebuilds) and refuses everything else, so a
/// malicious checkpoint cannot execute code. Tuples become <c>object?[]</c>, lists
/// <c>List&lt;object?&gt;</c>, dicts <see cref="PickleDict"/> (insertion-ordered), integers
/// <see cref="long"/> (or <see cref="BigInteger"/> when they do not fit).
/// </summary>
internal sealed class PickleReader
{
    private readonly BinaryReader _input;
    private readonly Func<object?, object?> _persistentLoad;
    private readonly Func<PickleGlobal, object?[], object?> _construct;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];

    private PickleReader(Stream input, Func<object?, object?> persistentLoad, Func<PickleGlobal, object?[], object?> construct)
    {
        _input = new BinaryReader(input, Encoding.UTF8, leaveOpen: true);
        _persistentLoad = persistentLoad;
        _construct = construct;
    }

    /// <summary>Reads one pickle (up to and including its STOP opcode) from the current position of <paramref name="input"/>.</summary>
    /// <exception cref="InvalidDataException">The data is not a pickle this reader understands, or constructs something unsupported.</exception>
    public static object? Load(Stream input, Func<object?, object?> persistentLoad, Func<PickleGlobal, object?[], object?> construct) =>
        new PickleReader(input, persistentLoad, construct).Run();

    private object? Run()
    {
        while (true)
        {
            var position = _input.BaseStream.CanSeek ? _input.BaseStream.Position : -1;
            int op;
            try
            {
                op = _input.ReadByte();
            }
            catch (EndOfStreamException)
            {
                throw new InvalidDataException("The pickle ends before its STOP opcode.");
            }

            switch (op)
            {
                case 0x80: _input.ReadByte(); break; // PROTO
                case 0x95: _input.ReadInt64(); break; // FRAME: framing is transparent when reading sequentially
                case '.': return Pop(); // STOP
                case '(': _marks.Push(_stack.Count); break; // MARK
                case ')': Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case 't': Push(PopMark().ToArray()); break; // TUPLE
                case 0x85: Push(new[] { Pop() }); break; // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case ']': Push(new List<object?>()); break; // EMPTY_LIST
                case 'l': Push(PopMark()); break; // LIST
                case 'a': { var item = Pop(); ListOnTop().Add(item); break; } // APPEND
                case 'e': { var items = PopMark(); ListOnTop().AddRange(items); break; } // APPENDS
                case '}': Push(new PickleDict()); break; // EMPTY_DICT
                case 'd': { var items = PopMark(); var dict = new PickleDict(); AddPairs(dict, items); Push(dict); break; } // DICT
                case 's': { var value = Pop(); var key = Pop(); DictOnTop()[key!] = value; break; } // SETITEM
                case 'u': { var items = PopMark(); AddPairs(DictOnTop(), items); break; } // SETITEMS
                case 0x8f: Push(new List<object?>()); break; // EMPTY_SET (as a list; sets never matter here)
                case 0x90: { var items = PopMark(); ListOnTop().AddRange(items); break; } // ADDITEMS
                case 'N': Push(null); break;
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case 'J': Push((long)_input.ReadInt32()); break; // BININT
                case 'K': Push((long)_input.ReadByte()); break; // BININT1
                case 'M': Push((long)_input.ReadUInt16()); break; // BININT2
                case 0x8a: Push(ReadLong(_input.ReadByte())); break; // LONG1
                case 0x8b: Push(ReadLong(checked((int)_input.ReadUInt32()))); break; // LONG4
                case 'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break; // BINFLOAT
                case 'X': Push(Encoding.UTF8.GetString(ReadBytes(checked((int)_input.ReadUInt32())))); break; // BINUNICODE
                case 0x8c: Push(Encoding.UTF8.GetString(ReadBytes(_input.ReadByte()))); break; // SHORT_BINUNICODE
                case 0x8d: Push(Encoding.UTF8.GetString(ReadBytes(checked((int)_input.ReadUInt64())))); break; // BINUNICODE8
                case 'U': Push(Encoding.Latin1.GetString(ReadBytes(_input.ReadByte()))); break; // SHORT_BINSTRING
                case 'T': Push(Encoding.Latin1.GetString(ReadBytes(checked((int)_input.ReadUInt32())))); break; // BINSTRING
                case 'C': Push(ReadBytes(_input.ReadByte())); break; // SHORT_BINBYTES
                case 'B': Push(ReadBytes(checked((int)_input.ReadUInt32()))); break; // BINBYTES
                case 'c': Push(new PickleGlobal(ReadLine(), ReadLine())); break; // GLOBAL
                case 0x93: { var name = (string)Pop()!; var module = (string)Pop()!; Push(new PickleGlobal(module, name)); break; } // STACK_GLOBAL
                case 'q': _memo[_input.ReadByte()] = Peek(); break; // BINPUT
                case 'r': _memo[_input.ReadUInt32()] = Peek(); break; // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break; // MEMOIZE
                case 'h': Push(Memo(_input.ReadByte())); break; // BINGET
                case 'j': Push(Memo(_input.ReadUInt32())); break; // LONG_BINGET
                case '0': Pop(); break; // POP
                case '1': PopMark(); break; // POP_MARK
                case '2': Push(Peek()); break; // DUP
                case 'Q': Push(_persistentLoad(Pop())); break; // BINPERSID
                case 'R': // REDUCE
                case 0x81: // NEWOBJ
                {
                    var args = Pop() as object?[] ?? throw Invalid("the arguments of a call are not a tuple", position);
                    var callable = Pop() as PickleGlobal ?? throw Invalid("a call's target is not a global", position);
                    Push(_construct(callable, args));
                    break;
                }
                case 'b': Pop(); break; // BUILD: the state of objects a state dict holds carries nothing needed here
                default:
                    throw Invalid($"unsupported pickle opcode 0x{op:x2}", position);
            }
        }
    }

    private static InvalidDataException Invalid(string what, long position) =>
        new($"Cannot read the checkpoint's pickle: {what}{(position >= 0 ? $" at byte {position}" : "")}.");

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw new InvalidDataException("Pickle stack underflow.");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
        {
            throw new InvalidDataException("Pickle MARK missing.");
        }

        var start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private List<object?> ListOnTop() => Peek() as List<object?> ?? throw new InvalidDataException("Pickle APPEND target is not a list.");

    private PickleDict DictOnTop() => Peek() as PickleDict ?? throw new InvalidDataException("Pickle SETITEM target is not a dict.");

    private object? Memo(long key) => _memo.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"Pickle memo {key} is undefined.");

    private static void AddPairs(PickleDict dict, List<object?> items)
    {
        for (var i = 0; i + 1 < items.Count; i += 2)
        {
            dict[items[i]!] = items[i + 1];
        }
    }

    private byte[] ReadBytes(int count)
    {
        var bytes = _input.ReadBytes(count);
        return bytes.Length == count ? bytes : throw new InvalidDataException("The pickle is truncated.");
    }

    private string ReadLine()
    {
        var sb = new StringBuilder();
        for (int c; (c = _input.ReadByte()) != '\n';)
        {
            sb.Append((char)c);
        }

        return sb.ToString();
    }

    private object ReadLong(int length)
    {
        var value = new BigInteger(ReadBytes(length), isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
    }
}

/// <summary>A pickled dict (or OrderedDict), keeping insertion order.</summary>
internal sealed class PickleDict
{
    private readonly List<object> _keys = [];
    private readonly Dictionary<object, object?> _values = [];

    public object? this[object key]
    {
        get => _values[key];
        set
        {
            if (!_values.ContainsKey(key))
            {
                _keys.Add(key);
            }

            _values[key] = value;
        }
    }

    public IEnumerable<KeyValuePair<object, object?>> Items => _keys.Select(k => new KeyValuePair<object, object?>(k, _values[k]));

    public bool TryGetValue(object key, out object? value) => _values.TryGetValue(key, out value);

    public int Count => _keys.Count;
}
