using System.Globalization;
using System.Text;

namespace HvMonitor.Reporter.Print;

/// <summary>A JSON value whose object keys keep their insertion order, as Python dicts do.</summary>
public abstract record PyJson
{
    public static PyJson Of(string? text) => text is null ? PyNull.Instance : new PyString(text);
    public static PyJson Of(long number) => new PyNumber(number);
}

public sealed record PyString(string Value) : PyJson;
public sealed record PyNumber(long Value) : PyJson;
public sealed record PyNull : PyJson
{
    public static PyNull Instance { get; } = new();
}
public sealed record PyArray(IReadOnlyList<PyJson> Items) : PyJson;
public sealed record PyObject(IReadOnlyList<KeyValuePair<string, PyJson>> Members) : PyJson;

/// <summary>
/// Python's <c>json.dumps</c> byte for byte: with <c>indent=4</c> (Python 3) items end in <c>,</c> plus a
/// newline and keys use <c>": "</c>; without indent the separators are <c>", "</c> and <c>": "</c>. Empty
/// containers are <c>[]</c>/<c>{}</c>; non-ASCII is escaped as lower-case <c>\uXXXX</c> (surrogate pairs
/// above U+FFFF), as ensure_ascii does. Used for -p output and, by part 2, for request bodies.
/// </summary>
public static class PythonJson
{
    public static string Dumps(PyJson value, int? indent = null)
    {
        var sb = new StringBuilder();
        Write(sb, value, indent, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, PyJson value, int? indent, int level)
    {
        switch (value)
        {
            case PyNull:
                sb.Append("null");
                break;
            case PyNumber n:
                sb.Append(n.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case PyString s:
                WriteString(sb, s.Value);
                break;
            case PyArray a:
                WriteContainer(sb, '[', ']', a.Items.Count, indent, level, i => Write(sb, a.Items[i], indent, level + 1));
                break;
            case PyObject o:
                WriteContainer(sb, '{', '}', o.Members.Count, indent, level, i =>
                {
                    WriteString(sb, o.Members[i].Key);
                    sb.Append(": ");
                    Write(sb, o.Members[i].Value, indent, level + 1);
                });
                break;
        }
    }

    private static void WriteContainer(StringBuilder sb, char open, char close, int count, int? indent, int level, Action<int> writeItem)
    {
        sb.Append(open);
        if (count == 0)
        {
            sb.Append(close);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            if (indent is { } width)
            {
                if (i > 0)
                    sb.Append(',');
                sb.Append('\n').Append(' ', width * (level + 1));
            }
            else if (i > 0)
                sb.Append(", ");
            writeItem(i);
        }
        if (indent is { } w)
            sb.Append('\n').Append(' ', w * level);
        sb.Append(close);
    }

    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                case '\b': sb.Append(@"\b"); break;
                case '\f': sb.Append(@"\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                        sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
