using HvMonitor.Reporter.Config;
using HvMonitor.Shared.Text;
using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Sources;

namespace HvMonitor.Reporter.Sending;

/// <summary>One valid configuration section: where to read (its source) and where to send (its destination settings).</summary>
/// <param name="Events">The libvirt connection whose lifecycle events trigger a collection, or null (no events).</param>
public sealed record ReportSection(IReportSource Source, CandlepinSettings Destination, LibvirtEventSource? Events = null)
{
    public string Name => Source.ConfigName;
}

/// <summary>Where a section's libvirt lifecycle events come from (the daemon watches them): its URI and credentials.</summary>
/// <param name="Uri">null: the local libvirt, opened with no URI so that libvirt picks its default.</param>
public sealed record LibvirtEventSource(string? Uri, string? Username = null, Secret? Password = null);

/// <summary>What every sending mode needs besides the sections.</summary>
/// <param name="Interval">The configured interval (already validated: ≥ 60 s, default 3600 s).</param>
public sealed record ReporterRunOptions(TimeSpan Interval, string ReporterId, ReporterPaths Paths, ReporterTiming Timing)
{
    public TimeSpan EffectiveInterval => Timing.Interval(Interval);

    /// <summary>The clock of every wait and timestamp (the system clock; a hand-moved one in unit tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
