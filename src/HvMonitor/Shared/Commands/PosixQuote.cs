using System.Text;

namespace HvMonitor.Shared.Commands;

/// <summary>
/// Quotes argv the way a POSIX shell needs it typed: bare when safe, else in single quotes (a quote inside
/// becomes <c>'\''</c>). Control characters (a newline in a name) use <c>$'\n'</c> (POSIX.1-2024), so a
/// quoted command always stays on one line.
/// </summary>
public static class PosixQuote
{
    public static string Join(IEnumerable<string> argv) => string.Join(' ', argv.Select(Quote));

    public static string Quote(string arg)
    {
        if (arg.Length == 0)
            return "''";
        if (arg.All(IsSafe))
            return arg;
        var sb = new StringBuilder();
        bool inSingle = false;
        foreach (char c in arg)
        {
            if (char.IsControl(c))
            {
                if (inSingle)
                {
                    sb.Append('\'');
                    inSingle = false;
                }
                sb.Append("$'").Append(c switch
                {
                    '\n' => "\\n",
                    '\t' => "\\t",
                    '\r' => "\\r",
                    _ => "\\" + Convert.ToString(c, 8).PadLeft(3, '0'),
                }).Append('\'');
                continue;
            }
            if (c == '\'')
            {
                if (inSingle)
                {
                    sb.Append('\'');
                    inSingle = false;
                }
                sb.Append("\\'");
                continue;
            }
            if (!inSingle)
            {
                sb.Append('\'');
                inSingle = true;
            }
            sb.Append(c);
        }
        if (inSingle)
            sb.Append('\'');
        return sb.ToString();
    }

    private static bool IsSafe(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') || "_@%+=:,./-".Contains(c);
}
