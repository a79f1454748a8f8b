using HvMonitor.Reporter.Logging;
namespace HvMonitor.Reporter.Daemon;

/// <summary>
/// One set of daemon loops over one configuration (virt-who.md §6): a thread per source that puts its
/// latest report into the <see cref="ReportStore"/> at start, every interval and after a libvirt event
/// (debounced), and a loop per destination that every interval heartbeats, polls the job in flight and
/// sends what changed. An event report wakes the destination at once (decision 7: a send within seconds,
/// at most one extra per <see cref="ReporterTiming.EventMinimumGap"/>). Ends when its token is cancelled.
/// </summary>
public sealed class DaemonGeneration(
    IReadOnlyList<ReportSection> sections, ReporterRunOptions options, IReporterLog log, Func<ReportSection, Action, IDisposable?>? watchEvents)
{
    private readonly ReportStore _store = new();
    private readonly TimeProvider _time = TimeProvider.System;

    private TimeSpan Interval => options.EffectiveInterval;

    public void Run(CancellationToken stop, CancellationToken http)
    {
        var runData = new RunData(options.Paths, log);
        runData.EnsureEntries(sections.Select(s => s.Name));
        var destinations = Destination.For(sections, options, log, runData, _time);

        var sourceThreads = sections.Select(s => new Thread(() => SourceLoop(s, stop)) { Name = s.Name, IsBackground = true }).ToList();
        sourceThreads.ForEach(t => t.Start());
        var loops = destinations.Select(d => Task.Run(() => DestinationLoopAsync(d, stop, http))).ToArray();
        Task.WaitAll(loops);
        // A source thread inside a libvirt call finishes that call, then sees the token.
        foreach (var t in sourceThreads)
            t.Join(options.Timing.StopGrace);
    }

    private void SourceLoop(ReportSection section, CancellationToken stop)
    {
        using var trigger = new SemaphoreSlim(0);
        IDisposable? watcher = null;
        try
        {
            watcher = watchEvents?.Invoke(section, () => { try { trigger.Release(); } catch (ObjectDisposedException) { } });
            bool afterEvent = false;
            while (!stop.IsCancellationRequested)
            {
                if (SourceCollection.TryCollect(section, log, stop) is { } report)
                    _store.Put(report, afterEvent);
                afterEvent = trigger.Wait(Interval, stop);
                if (afterEvent)
                {
                    // Debounce: a guest start is several events; collect once they are all in.
                    stop.WaitHandle.WaitOne(options.Timing.EventDebounce);
                    while (trigger.Wait(0, CancellationToken.None))
                    {
                    }
                    log.Debug($"libvirt event for \"{section.Name}\": collecting again");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            watcher?.Dispose();
        }
    }

    private async Task DestinationLoopAsync(Destination destination, CancellationToken stop, CancellationToken http)
    {
        using var eventSignal = new SemaphoreSlim(0);
        _store.OnEventReport(name =>
        {
            if (destination.Sections.Contains(name))
                try { eventSignal.Release(); } catch (ObjectDisposedException) { }
        });
        try
        {
            await WaitForFirstReportsAsync(destination, stop).ConfigureAwait(false);
            var lastExtraSend = DateTimeOffset.MinValue;
            bool eventCycle = false;
            while (!stop.IsCancellationRequested)
            {
                var cycleStart = _time.GetUtcNow();
                await CycleAsync(destination, eventCycle, stop, http).ConfigureAwait(false);
                eventCycle = false;
                var due = cycleStart + Interval;
                while (_time.GetUtcNow() < due && !eventCycle)
                {
                    if (!await eventSignal.WaitAsync(NonNegative(due - _time.GetUtcNow()), stop).ConfigureAwait(false))
                        break;
                    var earliest = lastExtraSend + options.Timing.EventMinimumGap;
                    if (earliest > _time.GetUtcNow())
                        await Task.Delay(NonNegative(Min(earliest, due) - _time.GetUtcNow()), _time, stop).ConfigureAwait(false);
                    while (eventSignal.Wait(0, CancellationToken.None))
                    {
                    }
                    if (_time.GetUtcNow() < due)
                    {
                        eventCycle = true;
                        lastExtraSend = _time.GetUtcNow();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>The clock moved on between the check and the wait: wait zero, never a negative time (which throws).</summary>
    private static TimeSpan NonNegative(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;

    /// <summary>The first cycle waits up to one interval for every source's first report.</summary>
    private async Task WaitForFirstReportsAsync(Destination destination, CancellationToken stop)
    {
        var until = _time.GetUtcNow() + Interval;
        while (destination.Sections.Any(s => _store.Get(s) is null) && _time.GetUtcNow() < until)
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, stop).ConfigureAwait(false);
    }

    private async Task CycleAsync(Destination destination, bool eventCycle, CancellationToken stop, CancellationToken http)
    {
        try
        {
            await destination.HeartbeatAsync(http).ConfigureAwait(false);
            // An event cycle sends the new report at once; the job in flight is polled at the next regular cycle.
            var skip = eventCycle ? new HashSet<string>() : await destination.PollPendingJobAsync(stop, http).ConfigureAwait(false);
            await destination.SendChangedAsync(_store.Get, skip, stop, http).ConfigureAwait(false);
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
