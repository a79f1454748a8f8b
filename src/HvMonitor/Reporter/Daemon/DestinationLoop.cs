using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Sending;

namespace HvMonitor.Reporter.Daemon;

/// <summary>
/// One destination's loop in the daemon. The first cycle waits (up to one interval) for every source's first
/// report; then a regular cycle starts every interval (no wait when a cycle overran it), and does what virt-who's
/// destination thread does, in its order: poll the job in flight (15 s into the cycle), heartbeat, send what
/// changed. Between regular cycles a report that came from a libvirt event is sent at once (docs/virt-who-compatibility.md, D7), at most
/// once per <see cref="ReporterTiming.EventMinimumGap"/>, without job poll or heartbeat (those stay once per interval).
/// </summary>
public sealed class DestinationLoop(IDestination destination, ReportStore store, ReporterRunOptions options, IReporterLog log)
{
    private readonly TimeProvider _time = options.Time;

    private TimeSpan Interval => options.EffectiveInterval;

    public async Task RunAsync(CancellationToken stop, CancellationToken http)
    {
        using var eventSignal = new SemaphoreSlim(0);
        store.OnEventReport(name =>
        {
            if (destination.Sections.Contains(name))
                try { eventSignal.Release(); } catch (ObjectDisposedException) { }
        });
        try
        {
            await WaitForFirstReportsAsync(stop).ConfigureAwait(false);
            var nextRegular = _time.GetUtcNow();
            var lastExtraSend = DateTimeOffset.MinValue;
            while (!stop.IsCancellationRequested)
            {
                await CycleAsync(regular: true, stop, http).ConfigureAwait(false);
                nextRegular += Interval;
                if (nextRegular < _time.GetUtcNow())
                    nextRegular = _time.GetUtcNow(); // the cycle overran its interval: the next one starts at once
                while (_time.GetUtcNow() < nextRegular)
                {
                    if (!await ClockWaits.WaitAsync(eventSignal, nextRegular - _time.GetUtcNow(), _time, stop).ConfigureAwait(false))
                        break;
                    var earliest = lastExtraSend + options.Timing.EventMinimumGap;
                    if (earliest > _time.GetUtcNow())
                        await ClockWaits.DelayAsync(Min(earliest, nextRegular) - _time.GetUtcNow(), _time, stop).ConfigureAwait(false);
                    while (eventSignal.Wait(0, CancellationToken.None))
                    {
                    }
                    if (_time.GetUtcNow() >= nextRegular)
                        break;
                    lastExtraSend = _time.GetUtcNow();
                    await CycleAsync(regular: false, stop, http).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>The first cycle waits up to one interval for every source's first report.</summary>
    private async Task WaitForFirstReportsAsync(CancellationToken stop)
    {
        var until = _time.GetUtcNow() + Interval;
        while (destination.Sections.Any(s => store.Get(s) is null) && _time.GetUtcNow() < until)
            await ClockWaits.DelayAsync(TimeSpan.FromMilliseconds(100), _time, stop).ConfigureAwait(false);
    }

    private async Task CycleAsync(bool regular, CancellationToken stop, CancellationToken http)
    {
        try
        {
            IReadOnlySet<string> skip = new HashSet<string>();
            if (regular)
            {
                skip = await destination.PollPendingJobAsync(stop, http).ConfigureAwait(false);
                await destination.HeartbeatAsync(http).ConfigureAwait(false);
            }
            await destination.SendChangedAsync(store.Get, skip, stop, http).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Never crash the daemon: the reports stay unsent and the next cycle tries again.
            log.Error($"Error in the cycle of \"{destination.Name}\": {e.Message}");
            log.Info($"Waiting {Interval.TotalSeconds:0} seconds before performing action again '{destination.Name}'");
        }
    }
}
