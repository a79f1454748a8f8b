using System.Text.RegularExpressions;

namespace HvMonitor.Shared.Commands;

/// <summary>
/// SGR colour codes (<c>ESC[0;32m</c>): CBSD prints them even into a pipe unless NOCOLOR is set, and a user's
/// color.conf may change every code, so they are stripped generically.
/// </summary>
public static partial class AnsiColour
{
    [GeneratedRegex("\x1b\\[[0-9;]*m")]
    private static partial Regex Sgr();

    public static string Strip(string text) => text.Contains('\x1b') ? Sgr().Replace(text, "") : text;
}
