using System.Globalization;
using HvMonitor.Reporter.Config;
using HvMonitor.Reporter.Daemon;
using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Sources;
using HvMonitor.Reporter.Sending;
using Xunit;

namespace HvMonitor.Tests.Reporter.Daemon;

/// <summary>
/// The daemon's destination loop on a hand-moved clock: a cycle every interval in virt-who's order (job poll,
/// heartbeat, send), no wait after a cycle that overran, and an event's report sent between cycles at once but
/// at most once per minimum gap, without poll or heartbeat. No sleeping: only the fake clock moves.
/// </summary>
public sealed class DestinationLoopTests : IDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly ReportStore _store = new();
    private readonly RecordingDestination _destination;
    private readonly CancellationTokenSource _stop = new();
    private readonly DateTimeOffset _start;

    public DestinationLoopTests()
    {
        _start = _clock.GetUtcNow();
        _destination = new RecordingDestination(_clock, _start);
        _store.Put(new HostGuestReport("alpha", _start, []), afterEvent: false);
    }

    private Task Start(TimeSpan interval)
    {
        var options = new ReporterRunOptions(interval, "r", new ReporterPaths("/nonexistent"), new ReporterTiming()) { Time = _clock };
        return Task.Run(() => new DestinationLoop(_destination, _store, options, new MemoryLog()).RunAsync(_stop.Token, CancellationToken.None));
    }

    /// <summary>Real-time patience for the loop's thread to get somewhere; the clock itself never moves by itself.</summary>
    private static void Eventually(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, what);
            Thread.Sleep(5);
        }
    }

    private void WaitForCalls(int count) => Eventually(() => _destination.Calls.Count >= count, $"{count} calls; got: {string.Join(", ", _destination.Calls)}");

    private void WaitUntilWaiting() => Eventually(() => _clock.Waiting > 0, "the loop never started waiting");

    [Fact]
    public async Task EachCycleStartsOneIntervalAfterThePreviousAndPollsThenHeartbeatsThenSends()
    {
        var loop = Start(TimeSpan.FromSeconds(60));
        WaitForCalls(3);
        WaitUntilWaiting();
        _clock.Advance(TimeSpan.FromSeconds(59.9));
        await Task.Delay(100);
        Assert.Equal(3, _destination.Calls.Count); // nothing before the interval has passed
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        WaitForCalls(6);
        WaitUntilWaiting();
        _clock.Advance(TimeSpan.FromSeconds(60));
        WaitForCalls(9);
        _stop.Cancel();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["0 poll", "0 heartbeat", "0 send", "60 poll", "60 heartbeat", "60 send", "120 poll", "120 heartbeat", "120 send"], _destination.Calls);
    }

    [Fact]
    public async Task ACycleThatOverranItsIntervalIsFollowedAtOnceAndTheNextCountsFromThere()
    {
        _destination.FirstSendTakes = TimeSpan.FromSeconds(70);
        var loop = Start(TimeSpan.FromSeconds(60));
        WaitForCalls(6); // the second cycle without any wait
        WaitUntilWaiting();
        _clock.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(100);
        Assert.Equal(6, _destination.Calls.Count);
        _clock.Advance(TimeSpan.FromSeconds(1));
        WaitForCalls(9);
        _stop.Cancel();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["0 poll", "0 heartbeat", "0 send", "70 poll", "70 heartbeat", "70 send", "130 poll", "130 heartbeat", "130 send"], _destination.Calls);
    }

    [Fact]
    public async Task AnEventReportIsSentAtOnceThenAtMostOncePerGapWithoutPollOrHeartbeat()
    {
        var loop = Start(TimeSpan.FromSeconds(3600));
        WaitForCalls(3);
        WaitUntilWaiting();
        _clock.Advance(TimeSpan.FromSeconds(10));
        _store.Put(new HostGuestReport("alpha", _clock.GetUtcNow(), []), afterEvent: true);
        WaitForCalls(4);
        WaitUntilWaiting();
        _clock.Advance(TimeSpan.FromSeconds(10));
        _store.Put(new HostGuestReport("alpha", _clock.GetUtcNow(), []), afterEvent: true);
        Eventually(() => _clock.Waiting > 0, "the wait for the minimum gap");
        _clock.Advance(TimeSpan.FromSeconds(49));
        await Task.Delay(100);
        Assert.Equal(4, _destination.Calls.Count); // 60 s after the last extra send, not before
        _clock.Advance(TimeSpan.FromSeconds(1));
        WaitForCalls(5);
        _stop.Cancel();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["0 poll", "0 heartbeat", "0 send", "10 send", "70 send"], _destination.Calls);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    /// <summary>Records each call with the fake clock's second; a send can take time on that clock.</summary>
    private sealed class RecordingDestination(ManualTimeProvider clock, DateTimeOffset start) : IDestination
    {
        private readonly List<string> _calls = [];

        public TimeSpan FirstSendTakes { get; set; }

        public IReadOnlyList<string> Sections { get; } = ["alpha"];
        public string Name => "alpha";

        public List<string> Calls
        {
            get { lock (_calls) return [.. _calls]; }
        }

        private void Record(string what)
        {
            var second = (clock.GetUtcNow() - start).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            lock (_calls) _calls.Add($"{second} {what}");
        }

        public Task<IReadOnlySet<string>> PollPendingJobAsync(CancellationToken wait, CancellationToken http)
        {
            Record("poll");
            return Task.FromResult<IReadOnlySet<string>>(new HashSet<string>());
        }

        public Task HeartbeatAsync(CancellationToken http)
        {
            Record("heartbeat");
            return Task.CompletedTask;
        }

        public Task<SendOutcome> SendChangedAsync(Func<string, SourceReport?> reportOf, IReadOnlySet<string> skip, CancellationToken wait, CancellationToken http)
        {
            Assert.NotNull(reportOf("alpha"));
            Record("send");
            if (FirstSendTakes > TimeSpan.Zero)
            {
                clock.Advance(FirstSendTakes);
                FirstSendTakes = TimeSpan.Zero;
            }
            return Task.FromResult(new SendOutcome([], [], [], null));
        }
    }
}
