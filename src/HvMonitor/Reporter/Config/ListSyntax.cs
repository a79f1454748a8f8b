namespace HvMonitor.Reporter.Config;

/// <summary>A list value with an unterminated quote; virt-who crashes on it, hv-monitor reports it.</summary>
public sealed class ListSyntaxException(string message) : Exception(message);

/// <summary>
/// virt-who's list values (<c>filter_hosts</c>, <c>exclude_hosts</c>, <c>configs</c>; docs/virt-who-compatibility.md, "Values and lists"):
/// items split on <c>,</c>, unquoted whitespace dropped, <c>"…"</c>/<c>'…'</c> keep commas and spaces,
/// <c>\x</c> is a literal x, an empty last item is dropped. <c>a, "b c", d\,e</c> gives a | b c | d,e.
/// </summary>
public static class ListSyntax
{
    public static IReadOnlyList<string> Parse(string value)
    {
        var items = new List<string>();
        var item = new System.Text.StringBuilder();
        char? openQuote = null;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\\')
            {
                if (i + 1 < value.Length)
                    item.Append(value[++i]);
                continue;
            }
            if (openQuote is { } q)
            {
                if (c == q)
                    openQuote = null;
                else
                    item.Append(c);
            }
            else if (c == ',')
            {
                items.Add(item.ToString());
                item.Clear();
            }
            else if (c is '"' or '\'')
            {
                openQuote = c;
            }
            else if (!char.IsWhiteSpace(c))
            {
                item.Append(c);
            }
        }
        if (openQuote is { } open)
            throw new ListSyntaxException($"Unterminated {(open == '"' ? "double" : "single")} quote sign");
        if (item.Length > 0)
            items.Add(item.ToString());
        return items;
    }
}
