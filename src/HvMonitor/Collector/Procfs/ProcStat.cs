using System.Globalization;

namespace HvMonitor.Collector.Procfs;

/// <summary>The fields of /proc/PID/stat that ps needs (field numbers as in proc(5)).</summary>
public sealed record ProcStat(
    int Pid,
    string Comm,
    ulong MinFlt,      // 10
    ulong MajFlt,      // 12
    ulong UTimeTicks,  // 14
    ulong STimeTicks,  // 15
    long Priority,     // 18
    long Nice,         // 19
    ulong StartTimeTicks, // 22, since boot
    ulong VSizeBytes,  // 23
    long RssPages);    // 24

/// <summary>Parses /proc/PID/stat: <c>1234 (qemu-system-x86) S 1 1234 ... </c></summary>
public static class ProcStatParser
{
    public static ProcStat Parse(string text)
    {
        // comm is in parentheses and may itself contain spaces and ')': the real end is the LAST ')'.
        int open = text.IndexOf('(');
        int close = text.LastIndexOf(')');
        if (open < 1 || close < open)
            throw new ProcParseException("/proc/PID/stat", text, "no '(comm)' field");
        var pid = int.Parse(text.AsSpan(0, open).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
        var comm = text[(open + 1)..close];
        // Fields after comm start at field 3 (state).
        var rest = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length < 22)
            throw new ProcParseException("/proc/PID/stat", text, $"expected at least 24 fields, found {rest.Length + 2}");
        string Field(int n) => rest[n - 3];
        return new ProcStat(
            pid, comm,
            MinFlt: U(Field(10)), MajFlt: U(Field(12)),
            UTimeTicks: U(Field(14)), STimeTicks: U(Field(15)),
            Priority: L(Field(18)), Nice: L(Field(19)),
            StartTimeTicks: U(Field(22)), VSizeBytes: U(Field(23)), RssPages: L(Field(24)));

        ulong U(string s) => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : throw new ProcParseException("/proc/PID/stat", text, $"'{s}' is not an unsigned number");
        long L(string s) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v : throw new ProcParseException("/proc/PID/stat", text, $"'{s}' is not a number");
    }
}

/// <summary>A /proc file that does not have the expected shape; carries the offending text.</summary>
public sealed class ProcParseException(string file, string text, string reason)
    : Exception($"cannot parse {file}: {reason}: '{Shorten(text)}'")
{
    public string File { get; } = file;

    private static string Shorten(string s) => s.Length <= 120 ? s.TrimEnd('\n') : s[..120] + "...";
}
