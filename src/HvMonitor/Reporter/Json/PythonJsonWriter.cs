using System.Globalization;
using System.Text;

namespace HvMonitor.Reporter.Json;

/// <summary>
/// Writes JSON exactly as Python's <c>json.dumps</c> does with its defaults, because that is what virt-who
/// puts on the wire and in run_data.json (docs/virt-who-compatibility.md, "Connection and headers"): <c>", "</c> and <c>": "</c> separators, or with
/// an indent <c>","</c> + newline; every non-ASCII character escaped as lower-case <c>\uXXXX</c>
/// (surrogate pairs above U+FFFF); empty containers as <c>[]</c>/<c>{}</c>. Keys are written in the order
/// the caller writes them; callers that need <c>sort_keys=True</c> write them sorted.
/// </summary>
public sealed class PythonJsonWriter
{
    private readonly StringBuilder _text = new();
    private readonly Stack<int> _counts = new();
    private readonly int _indent;
    private bool _afterKey;

    /// <param name="indent">0 for one line (json.dumps default), else spaces per level (json.dumps(indent=N)).</param>
    public PythonJsonWriter(int indent = 0) => _indent = indent;

    public override string ToString() => _text.ToString();

    public PythonJsonWriter StartObject() { BeforeValue(); _text.Append('{'); _counts.Push(0); return this; }

    public PythonJsonWriter EndObject() => End('}');

    public PythonJsonWriter StartArray() { BeforeValue(); _text.Append('['); _counts.Push(0); return this; }

    public PythonJsonWriter EndArray() => End(']');

    public PythonJsonWriter Key(string name)
    {
        BeforeValue();
        AppendString(name);
        _text.Append(": ");
        _afterKey = true;
        return this;
    }

    public PythonJsonWriter String(string? value)
    {
        if (value is null)
            return Null();
        BeforeValue();
        AppendString(value);
        return this;
    }

    public PythonJsonWriter Number(long value) { BeforeValue(); _text.Append(value.ToString(CultureInfo.InvariantCulture)); return this; }

    public PythonJsonWriter Null() { BeforeValue(); _text.Append("null"); return this; }

    public PythonJsonWriter Bool(bool value) { BeforeValue(); _text.Append(value ? "true" : "false"); return this; }

    private PythonJsonWriter End(char close)
    {
        int count = _counts.Pop();
        if (count > 0 && _indent > 0)
            NewLine(_counts.Count);
        _text.Append(close);
        return this;
    }

    private void BeforeValue()
    {
        if (_afterKey)
        {
            _afterKey = false;
            return;
        }
        if (_counts.Count == 0)
            return;
        int count = _counts.Pop();
        if (count > 0)
            _text.Append(_indent > 0 ? "," : ", ");
        if (_indent > 0)
            NewLine(_counts.Count + 1);
        _counts.Push(count + 1);
    }

    private void NewLine(int depth) => _text.Append('\n').Append(' ', depth * _indent);

    private void AppendString(string value)
    {
        _text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                case '\b': _text.Append("\\b"); break;
                case '\f': _text.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                        _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        _text.Append(c);
                    break;
            }
        }
        _text.Append('"');
    }
}
