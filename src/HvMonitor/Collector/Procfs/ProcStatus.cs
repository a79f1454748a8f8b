using System.Globalization;

namespace HvMonitor.Collector.Procfs;

/// <summary>The fields of /proc/PID/status that ps needs.</summary>
public sealed record ProcStatus(ulong VmRssKiB, ulong VoluntaryCtxtSwitches, ulong NonvoluntaryCtxtSwitches);

/// <summary>Parses /proc/PID/status lines such as <c>voluntary_ctxt_switches:	1234</c>.</summary>
public static class ProcStatusParser
{
    public static ProcStatus Parse(string text)
    {
        ulong rss = 0, voluntary = 0, nonvoluntary = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            int colon = line.IndexOf(':');
            if (colon < 0)
                continue;
            var key = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (key.SequenceEqual("VmRSS"))
                rss = FirstNumber(value);
            else if (key.SequenceEqual("voluntary_ctxt_switches"))
                voluntary = FirstNumber(value);
            else if (key.SequenceEqual("nonvoluntary_ctxt_switches"))
                nonvoluntary = FirstNumber(value);
        }
        return new ProcStatus(rss, voluntary, nonvoluntary);
    }

    /// <summary>"123 kB" → 123.</summary>
    internal static ulong FirstNumber(ReadOnlySpan<char> value)
    {
        int space = value.IndexOf(' ');
        var digits = space < 0 ? value : value[..space];
        return ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }
}
