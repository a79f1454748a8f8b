using HvMonitor.Reporter.Config;
using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Model;

namespace HvMonitor.Reporter.Sources;

/// <summary>The one place that maps a section's type to its source.</summary>
public static class ReportSourceFactory
{
    /// <summary>The section's source, or null (and a warning) when this build cannot collect its type.
    /// <paramref name="commands"/> gives the command runner for type=cbsd (the host, a recording, or a replay).</summary>
    /// <summary>This host's programs at FreeBSD's and CBSD's usual places.</summary>
    public static Shared.Commands.ICommandRunner HostCommands() =>
        new Shared.Commands.ProcessCommandRunner(Shared.Commands.CommandLocations.FreeBsdDefaults);

    public static IReportSource? Create(SectionSettings settings, IReporterLog log, Func<Shared.Commands.ICommandRunner>? commands = null)
    {
        switch (settings.Type)
        {
            case SectionValidator.LibvirtType:
                return new LibvirtReportSource(settings, log);
            case SectionValidator.CbsdType:
                return new Cbsd.CbsdReportSource(settings, (commands ?? HostCommands)(), log);
            default:
                log.Warning($"[{settings.Name}]: type \"{settings.Type}\" is not supported by hv-monitor; this section is skipped");
                return null;
        }
    }
}
