using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Sources;

namespace HvMonitor.Reporter.Config;

/// <summary>
/// The one place that maps a section's type to its source. It lives in Config/, which depends on Sources/
/// (never the reverse): a source gets only its <see cref="SourceSettings"/>.
/// </summary>
public static class ReportSourceFactory
{
    /// <summary>This host's programs at FreeBSD's and CBSD's usual places.</summary>
    public static Shared.Commands.ICommandRunner HostCommands() =>
        new Shared.Commands.ProcessCommandRunner(Shared.Commands.CommandLocations.FreeBsdDefaults);

    /// <summary>The section's source, or null (and a warning) when this build cannot collect its type.
    /// <paramref name="commands"/> gives the command runner for type=cbsd (the host, a recording, or a replay).</summary>
    public static IReportSource? Create(SectionSettings settings, IReporterLog log, Func<Shared.Commands.ICommandRunner>? commands = null)
    {
        switch (settings.Type)
        {
            case SectionValidator.LibvirtType:
                return new LibvirtReportSource(settings.Source, log);
            case SectionValidator.CbsdType:
                return new Sources.Cbsd.CbsdReportSource(settings.Source, (commands ?? HostCommands)(), log);
            default:
                log.Warning($"[{settings.Name}]: type \"{settings.Type}\" is not supported by hv-monitor; this section is skipped");
                return null;
        }
    }
}
