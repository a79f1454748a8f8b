using HvMonitor.Reporter.Config;
using HvMonitor.Reporter.Model;

namespace HvMonitor.Reporter.Daemon;

/// <summary>One valid configuration section: where to read (its source) and where to send (its destination settings).</summary>
/// <param name="Events">The libvirt connection whose lifecycle events trigger a collection, or null (no events).</param>
public sealed record ReportSection(IReportSource Source, CandlepinSettings Destination, LibvirtEventSource? Events = null)
{
    public string Name => Source.ConfigName;
}

/// <summary>What every sending mode needs besides the sections.</summary>
/// <param name="Interval">The configured interval (already validated: ≥ 60 s, default 3600 s).</param>
public sealed record ReporterRunOptions(TimeSpan Interval, string ReporterId, ReporterPaths Paths, ReporterTiming Timing)
{
    public TimeSpan EffectiveInterval => Timing.Interval(Interval);
}
