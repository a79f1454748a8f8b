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

    /// <summary>Python's <c>str.isspace()</c> for one character: .NET's white space plus U+001C..U+001F,
    /// which Python counts as white space (and so strips) and .NET does not.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    /// <summary>Python's <c>str.strip()</c>.</summary>
    public static string Strip(string s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsSpace(s[start]))
            start++;
        while (end > start && IsSpace(s[end - 1]))
            end--;
        return start == 0 && end == s.Length ? s : s[start..end];
    }

    /// <summary>
    /// The lines of a file as Python reads a text file (universal newlines): "\r\n", "\r" and "\n" end a
    /// line, nothing else ("\v", "\f", U+001C..U+001E, U+0085, U+2028 and U+2029 split only in
    /// <c>str.splitlines()</c>, which configparser does not use on a file). Terminators are not kept.
    /// </summary>
    public static List<string> FileLines(string text)
    {
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '\n' && c != '\r')
                continue;
            lines.Add(text[start..i]);
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                i++;
            start = i + 1;
        }
        if (start < text.Length)
            lines.Add(text[start..]);
        return lines;
    }
}
