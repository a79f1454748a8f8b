using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Sources;

namespace HvMonitor.Reporter.Sending;

/// <summary>
/// <c>report -o</c>: collect every source once, heartbeat, send, then wait for the job as the daemon polls
/// it (docs/virt-who-compatibility.md, D10, bounded by <see cref="ReporterTiming.OneShotJobTimeout"/>). Exit 0 when every report was
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
        foreach (var destination in Destination.For(sections, options, log, runData))
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
