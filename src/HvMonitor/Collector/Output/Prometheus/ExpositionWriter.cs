using System.Globalization;
using System.Text;

namespace HvMonitor.Collector.Output.Prometheus;

public enum MetricType
{
    Gauge,
    Counter,
}

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4: per family one <c># HELP</c> and one <c># TYPE</c> line,
/// then its samples, each family's samples together (the format requires it), no timestamps (node_exporter's
/// textfile collector refuses them). Label values are data: <c>\</c>, <c>"</c> and a line feed are escaped as
/// <c>\\</c>, <c>\"</c>, <c>\n</c> and nothing else; HELP text escapes <c>\</c> and a line feed. Everything
/// else, non-ASCII letters included, is written as UTF-8; a lone UTF-16 surrogate becomes U+FFFD. Pure.
/// </summary>
public sealed class ExpositionWriter
{
    /// <summary>The Content-Type an HTTP server sends with this text.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);
    private string? _current;

    /// <summary>
    /// Starts a family. A name may start only once: samples of one family must be contiguous, and a second
    /// HELP/TYPE pair for the same name is invalid.
    /// </summary>
    public void Family(string name, MetricType type, string help)
    {
        if (!IsValidName(name, allowColon: true))
            throw new ArgumentException($"'{name}' is not a valid metric name", nameof(name));
        if (type == MetricType.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
            throw new ArgumentException($"counter '{name}' must end in _total", nameof(name));
        if (!_families.Add(name))
            throw new InvalidOperationException($"metric family '{name}' was already written");
        _current = name;
        _text.Append("# HELP ").Append(name).Append(' ');
        AppendEscaped(_text, help, escapeQuote: false);
        _text.Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type == MetricType.Counter ? "counter" : "gauge").Append('\n');
    }

    /// <summary>One sample of the current family; <paramref name="labels"/> are name/value pairs, empty values included.</summary>
    public void Sample(string name, ReadOnlySpan<(string Name, string Value)> labels, double value)
    {
        if (!string.Equals(name, _current, StringComparison.Ordinal))
            throw new InvalidOperationException($"sample '{name}' written outside its family ('{_current}' is open)");
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                if (!IsValidName(labels[i].Name, allowColon: false) || labels[i].Name.StartsWith("__", StringComparison.Ordinal))
                    throw new ArgumentException($"'{labels[i].Name}' is not a valid label name", nameof(labels));
                if (i > 0)
                    _text.Append(',');
                _text.Append(labels[i].Name).Append("=\"");
                AppendEscaped(_text, labels[i].Value, escapeQuote: true);
                _text.Append('"');
            }
            _text.Append('}');
        }
        _text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    public void Sample(string name, double value) => Sample(name, [], value);

    /// <summary>The whole text as UTF-8.</summary>
    public byte[] ToUtf8() => Encoding.UTF8.GetBytes(_text.ToString());

    public override string ToString() => _text.ToString();

    /// <summary>Go's strconv.ParseFloat reads these: NaN, +Inf, -Inf, and the shortest round-trip form of the rest.</summary>
    public static string FormatValue(double value)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsPositiveInfinity(value))
            return "+Inf";
        if (double.IsNegativeInfinity(value))
            return "-Inf";
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Label values escape <c>\ " \n</c>; HELP escapes <c>\ \n</c>. A carriage return or tab is legal as it is.
    /// A lone surrogate (not valid UTF-8) becomes U+FFFD so that the text stays valid UTF-8.
    /// </summary>
    internal static void AppendEscaped(StringBuilder sb, string text, bool escapeQuote)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '"' when escapeQuote: sb.Append("\\\""); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        sb.Append(c).Append(text[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        sb.Append('\uFFFD');
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
    }

    /// <summary>[a-zA-Z_:][a-zA-Z0-9_:]* for metric names, without the colon for label names.</summary>
    internal static bool IsValidName(string name, bool allowColon)
    {
        if (name.Length == 0)
            return false;
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (allowColon && c == ':') || (i > 0 && c is >= '0' and <= '9');
            if (!ok)
                return false;
        }
        return true;
    }
}
