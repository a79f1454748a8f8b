using System.Globalization;
using System.Text;

namespace HvMonitor.Reporter.Config;

/// <summary>Python's <c>repr()</c> of a string, because virt-who's messages quote names and lines with it.</summary>
public static class PythonText
{
    public static string Repr(string s)
    {
        char quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder(s.Length + 2).Append(quote);
        foreach (var rune in s.EnumerateRunes())
        {
            int c = rune.Value;
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                default:
                    if (c == quote)
                        sb.Append('\\').Append(quote);
                    else if (c < 0x20 || c == 0x7f)
                        sb.Append(CultureInfo.InvariantCulture, $"\\x{c:x2}");
                    else
                        sb.Append(rune.ToString());
                    break;
            }
        }
        return sb.Append(quote).ToString();
    }
}
