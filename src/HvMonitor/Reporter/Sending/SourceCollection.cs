using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Sources;

namespace HvMonitor.Reporter.Sending;

/// <summary>Collecting from the sources, each failure logged with the section's name and never fatal.</summary>
public static class SourceCollection
{
    public static Dictionary<string, SourceReport> CollectAll(IEnumerable<ReportSection> sections, IReporterLog log, CancellationToken cancellation)
    {
        var reports = new Dictionary<string, SourceReport>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            if (TryCollect(section, log, cancellation) is { } report)
                reports[section.Name] = report;
        }
        return reports;
    }

    public static SourceReport? TryCollect(ReportSection section, IReporterLog log, CancellationToken cancellation)
    {
        try
        {
            var report = section.Source.Collect(cancellation);
            log.Info($"Report for config \"{section.Name}\" gathered, placing in datastore");
            return report;
        }
        catch (ReportSourceException e)
        {
            log.Error($"Error in communication with the source of \"{section.Name}\": {e.Message}");
            return null;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            // Unforeseen: still only this section's collection is lost, never the daemon's thread.
            log.Error($"Error in communication with the source of \"{section.Name}\": {e.GetType().Name}: {e.Message}");
            return null;
        }
    }
}
