using HvMonitor.Reporter.Model;

namespace HvMonitor.Reporter.Daemon;

/// <summary>One valid configuration section: where to read (its source) and where to send (its destination settings).</summary>
public sealed record ReportSection(IReportSource Source, CandlepinSettings Destination)
{
    public string Name => Source.ConfigName;
}

/// <summary>Where the reporter keeps its state, virt-who's paths under a root (/ in production).</summary>
public sealed record ReporterPaths(string PidFile, string RunDataFile, string RunDataLockFile)
{
    public static ReporterPaths Under(string root) => new(
        Path.Combine(root, "run/virt-who.pid"),
        Path.Combine(root, "var/lib/virt-who/run_data.json"),
        Path.Combine(root, "run/virt-who-status.pid"));
}

/// <summary>What every sending mode needs besides the sections.</summary>
/// <param name="Interval">The configured interval (already validated: ≥ 60 s, default 3600 s).</param>
public sealed record ReporterRunOptions(TimeSpan Interval, string ReporterId, ReporterPaths Paths, ReporterTiming Timing)
{
    public TimeSpan EffectiveInterval => Timing.Interval(Interval);
}
