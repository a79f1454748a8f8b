using HvMonitor.Reporter.Config;
using HvMonitor.Reporter.Logging;

namespace HvMonitor.Reporter;

/// <summary>The modes that contact a destination.</summary>
public enum ReportMode { OneShot, Daemon, Status }

/// <summary>
/// PART 2 SEAM (issue 10): one-shot (-o), the daemon (default / -i) and status (-s, -s -j). The command line
/// has been checked (§1, decision 4) and <paramref name="configuration"/> holds every valid section with
/// its source and destination. Replace the body; keep the signature.
/// </summary>
public static class SendModes
{
    public static int Run(ReporterConfiguration configuration, ReportMode mode, TextWriter stdout, IReporterLog log) =>
        Daemon.SendModeRunner.Run(configuration, mode, stdout, log);
}
