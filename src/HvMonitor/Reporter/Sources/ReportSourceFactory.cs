using HvMonitor.Reporter.Config;
using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Model;

namespace HvMonitor.Reporter.Sources;

/// <summary>The one place that maps a section's type to its source.</summary>
public static class ReportSourceFactory
{
    /// <summary>The section's source, or null (and a warning) when this build cannot collect its type.</summary>
    public static IReportSource? Create(SectionSettings settings, IReporterLog log)
    {
        switch (settings.Type)
        {
            case SectionValidator.LibvirtType:
                return new LibvirtReportSource(settings, log);
            case SectionValidator.CbsdType:
                log.Warning($"[{settings.Name}]: type \"cbsd\" is not supported yet by this build of hv-monitor report; this section is skipped");
                return null;
            default:
                log.Warning($"[{settings.Name}]: type \"{settings.Type}\" is not supported by hv-monitor; this section is skipped");
                return null;
        }
    }
}
