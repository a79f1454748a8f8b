using System.Globalization;
using System.Text;

namespace HvMonitor.Shared.Text;

/// <summary>
/// Keeps a message for an operator readable whatever input it quotes: one line (control characters shown as
/// <c>\n</c>, <c>\x1b</c> ...), no run of more than <see cref="RunLimit"/> characters without a blank (a 4 MB
/// line from a damaged file is cut, its length told), and at most <see cref="TotalLimit"/> characters in all.
/// Pure.
/// </summary>
public static class MessageText
{
    public const int RunLimit = 200;
    public const int TotalLimit = 2000;

    public static string Bound(string message)
    {
        if (message.Length <= RunLimit && !message.Any(char.IsControl))
            return message;
        var sb = new StringBuilder(Math.Min(message.Length, TotalLimit + 64));
        int run = 0, skipped = 0;
        foreach (char c in message)
        {
            if (c == ' ')
            {
                Flush(ref skipped);
                run = 0;
                sb.Append(c);
                continue;
            }
            run++;
            if (run > RunLimit)
            {
                skipped++;
                continue;
            }
            if (!char.IsControl(c))
                sb.Append(c);
            else
            {
                sb.Append(c switch
                {
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                });
            }
        }
        Flush(ref skipped);
        if (sb.Length <= TotalLimit)
            return sb.ToString();
        // Keep the start (what failed) and the end (usually why).
        int keep = TotalLimit / 2 - 20;
        return string.Create(CultureInfo.InvariantCulture, $"{sb.ToString(0, keep)}... ({sb.Length - 2 * keep} characters left out) ...{sb.ToString(sb.Length - keep, keep)}");

        void Flush(ref int n)
        {
            if (n > 0)
                sb.Append(CultureInfo.InvariantCulture, $"... ({n} more characters)");
            n = 0;
        }
    }
}
