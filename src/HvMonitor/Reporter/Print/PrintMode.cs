using HvMonitor.Reporter.Config;
using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Sources;

namespace HvMonitor.Reporter.Print;

/// <summary>
/// -p: collect every section (in parallel, printed in name order) and print the mapping on stdout (the program exits 0);
/// a source that fails is logged and contributes nothing (docs/virt-who-compatibility.md, "Print mode (-p)"). Nothing is sent; run_data.json
/// only gets its missing entries, as every virt-who run adds them.
/// </summary>
public static class PrintMode
{
    public static void Run(ReporterConfiguration configuration, TextWriter stdout, IReporterLog log)
    {
        // docs/virt-who-compatibility.md, "State file run_data.json": every run, -p included, first adds the missing run_data.json entries (under the flock).
        new Sending.RunData(configuration.Paths, log).EnsureEntries(configuration.Sections.Select(s => s.Name));
        var reports = CollectAll(configuration, log, CancellationToken.None);
        stdout.Write(PrintReport.Render(reports));
        stdout.Flush();
    }

    /// <summary>Each section's report, in section order; failed sources are left out.</summary>
    public static IReadOnlyList<SourceReport> CollectAll(ReporterConfiguration configuration, IReporterLog log, CancellationToken cancellation)
    {
        // One section (the usual case) runs on this thread: no thread-pool start-up in a short-lived process.
        if (configuration.Sections.Count == 1)
            return Collect(configuration.Sections[0], log, cancellation) is { } only ? [only] : [];
        var tasks = configuration.Sections
            .Select(section => Task.Run(() => Collect(section, log, cancellation), cancellation))
            .ToArray();
        Task.WaitAll(tasks, cancellation);
        return tasks.Select(t => t.Result).OfType<SourceReport>().ToList();
    }

    private static SourceReport? Collect(ConfiguredSection section, IReporterLog log, CancellationToken cancellation)
    {
        try
        {
            var report = section.Source.CollectForPrint(cancellation);
            log.Info(report switch
            {
                HostGuestReport h => $"Hosts-to-guests mapping for config \"{section.Name}\": {h.Hypervisors.Count} hypervisors and {h.Hypervisors.Sum(x => x.Guests.Count)} guests found",
                DomainListReport d => $"Domain info for config \"{section.Name}\": {d.Guests.Count} guests found",
                _ => $"Report for config \"{section.Name}\" gathered",
            });
            return report;
        }
        catch (ReportSourceException e)
        {
            log.Error($"[{section.Name}]: unable to read the source: {e.Message}");
            return null;
        }
    }
}
