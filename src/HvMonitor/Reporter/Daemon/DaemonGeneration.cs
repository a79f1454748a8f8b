using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Sending;

namespace HvMonitor.Reporter.Daemon;

/// <summary>
/// One set of daemon loops over one configuration (docs/virt-who-compatibility.md, "Daemon"): a thread per source that puts its
/// latest report into the <see cref="ReportStore"/> at start, every interval and after a libvirt event
/// (debounced), and a <see cref="DestinationLoop"/> per destination. Ends when its token is cancelled.
/// </summary>
public sealed class DaemonGeneration(
    IReadOnlyList<ReportSection> sections, ReporterRunOptions options, IReporterLog log, Func<ReportSection, Action, IDisposable?>? watchEvents)
{
    private readonly ReportStore _store = new();
    private readonly TimeProvider _time = options.Time;

    private TimeSpan Interval => options.EffectiveInterval;

    public void Run(CancellationToken stop, CancellationToken http)
    {
        var runData = new RunData(options.Paths, log);
        runData.EnsureEntries(sections.Select(s => s.Name));
        var destinations = Destination.For(sections, options, log, runData);

        var sourceThreads = sections.Select(s => new Thread(() => SourceLoop(s, stop)) { Name = s.Name, IsBackground = true }).ToList();
        sourceThreads.ForEach(t => t.Start());
        var loops = destinations.Select(d => Task.Run(() => new DestinationLoop(d, _store, options, log).RunAsync(stop, http))).ToArray();
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
                afterEvent = ClockWaits.WaitAsync(trigger, Interval, _time, stop).GetAwaiter().GetResult();
                if (afterEvent)
                {
                    // Debounce: a guest start is several events; collect once they are all in.
                    ClockWaits.DelayAsync(options.Timing.EventDebounce, _time, stop).GetAwaiter().GetResult();
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
}
