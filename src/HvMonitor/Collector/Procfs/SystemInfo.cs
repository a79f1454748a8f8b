using System.Globalization;

namespace HvMonitor.Collector.Procfs;

/// <summary>Host-wide numbers that turn raw /proc values into ps's: uptime, memory, clock ticks.</summary>
public sealed record SystemInfo(double UptimeSeconds, ulong MemTotalKiB, long ClockTicksPerSecond)
{
    /// <summary>/proc/uptime: <c>350735.47 234388.90</c></summary>
    public static double ParseUptime(string text)
    {
        var first = text.AsSpan().Trim();
        int space = first.IndexOf(' ');
        if (space > 0)
            first = first[..space];
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : throw new ProcParseException("/proc/uptime", text, "no uptime number");
    }

    /// <summary>/proc/meminfo: <c>MemTotal:       24567012 kB</c></summary>
    public static ulong ParseMemTotalKiB(string text)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("MemTotal:"))
                return ProcStatusParser.FirstNumber(line["MemTotal:".Length..].Trim());
        }
        throw new ProcParseException("/proc/meminfo", text, "no MemTotal line");
    }
}
