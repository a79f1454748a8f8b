using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Model;

namespace HvMonitor.Reporter.Daemon;

/// <summary>
/// <c>report -o</c>: collect every source once, heartbeat, send, then wait for the job as the daemon polls
/// it (decision 10, bounded by <see cref="ReporterTiming.OneShotJobTimeout"/>). Exit 0 when every report was
/// delivered, 1 otherwise (virt-who exits 0 regardless).
/// </summary>
public static class OneShotRun
{
    public static async Task<int> RunAsync(IReadOnlyList<ReportSection> sections, ReporterRunOptions options, IReporterLog log, CancellationToken cancellation)
    {
        var runData = new RunData(options.Paths, log);
        runData.EnsureEntries(sections.Select(s => s.Name));
        var reports = SourceCollection.CollectAll(sections, log, cancellation);
        bool ok = reports.Count == sections.Count;

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(options.Timing.OneShotJobTimeout);
        foreach (var destination in Destination.For(sections, options, log, runData, TimeProvider.System))
        {
            try
            {
                ok &= await DeliverAsync(destination, reports, log, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                log.Error($"The report of \"{destination.Name}\" was not confirmed within {options.Timing.OneShotJobTimeout.TotalSeconds:0} seconds");
                ok = false;
            }
        }
        return ok ? 0 : 1;
    }

    private static async Task<bool> DeliverAsync(Destination destination, IReadOnlyDictionary<string, SourceReport> reports, IReporterLog log, CancellationToken token)
    {
        await destination.HeartbeatAsync(token).ConfigureAwait(false);
        var outcome = await destination.SendChangedAsync(name => reports.GetValueOrDefault(name), new HashSet<string>(), token, token).ConfigureAwait(false);
        bool ok = outcome.Failed.Count == 0;
        if (outcome.JobId is not { } jobId)
            return ok;
        while (true)
        {
            var status = await destination.PollOnceAsync(jobId, token, token).ConfigureAwait(false);
            switch (status?.Outcome)
            {
                case JobOutcome.Finished:
                    return ok;
                case JobOutcome.Processing:
                    log.Debug($"Job {jobId} is {status.State}, checking again");
                    continue;
                default:
                    return false;
            }
        }
    }
}

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
