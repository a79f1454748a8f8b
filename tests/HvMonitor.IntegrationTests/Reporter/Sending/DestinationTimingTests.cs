using HvMonitor.IntegrationTests.Reporter.Candlepin;
using HvMonitor.Reporter.Config;
using HvMonitor.Reporter.Sending;
using HvMonitor.Tests.Reporter.Daemon;
using HvMonitor.Reporter.Logging;
using HvMonitor.Shared.Text;
using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Sources;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter.Sending;

/// <summary>
/// The destination's waits, to the second, on a hand-moved clock (TimeProvider is the seam) against the
/// stand-in over real HTTPS: 30 s after a 429 without Retry-After, Retry-After when given, 15 s before a
/// job poll; nothing is sent early.
/// </summary>
public sealed class DestinationTimingTests : StandInCandlepinTest
{
    private readonly ManualTimeProvider _clock = new();
    private readonly MemoryLog _log = new();
    private readonly string _state = Directory.CreateTempSubdirectory("hvm-dest-").FullName;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }

    private Destination NewDestination()
    {
        var settings = new CandlepinSettings
        {
            Owner = Server.Owner, Hostname = "127.0.0.1", Port = Server.Port, Prefix = Server.Prefix,
            Username = Server.BasicAuth!.Value.User, Password = new Secret(Server.BasicAuth.Value.Password),
            ConsumerCertDir = Pki.ConsumerDir, CaCertDir = Pki.CaDir,
        };
        var paths = new ReporterPaths(_state);
        var options = new ReporterRunOptions(TimeSpan.FromSeconds(3600), "r", paths, new ReporterTiming()) { Time = _clock };
        return new Destination(settings, ["alpha"], options, _log, new RunData(paths, _log));
    }

    private static readonly HostGuestReport Report = new("alpha", DateTimeOffset.UtcNow,
        [new Hypervisor("h-1", "kvm", [new Guest("g-1", 1, true, "libvirt")], [])]);

    private int Posts => Server.Requests.Count(r => r.Method == "POST");

    private void WaitForTimer(int count = 1)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_clock.Waiting < count)
        {
            Assert.True(DateTime.UtcNow < until, "the destination never started waiting");
            Thread.Sleep(10);
        }
    }

    [Theory]
    [InlineData(null, 30)]
    [InlineData("7", 7)]
    [InlineData("soon", 30)]
    public async Task AThrottledCheckInIsRepeatedAfterRetryAfterOr30Seconds(string? retryAfter, int seconds)
    {
        Server.Inject("POST", "/hypervisors/", new Fault.Status(429, "{}", retryAfter));
        var destination = NewDestination();
        var send = destination.SendChangedAsync(_ => Report, new HashSet<string>(), default, default);
        WaitForTimer();
        Assert.Equal(1, Posts);
        _clock.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
        await Task.Delay(200);
        Assert.Equal(1, Posts);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var outcome = await send.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, Posts);
        Assert.Equal(["alpha"], outcome.Submitted);
        Assert.Contains(_log.Lines, l => l.Message == $"Rate limit exceeded while sending host-guest mapping, please see: https://access.redhat.com/solutions/2212941. Retrying after: {seconds} seconds.");
    }

    [Fact]
    public async Task TheJobIsPolled15SecondsIntoTheNextCycleAndAFinishedJobMakesTheReportDelivered()
    {
        var destination = NewDestination();
        await destination.SendChangedAsync(_ => Report, new HashSet<string>(), default, default);
        var poll = destination.PollPendingJobAsync(default, default);
        WaitForTimer();
        _clock.Advance(TimeSpan.FromSeconds(14.9));
        await Task.Delay(200);
        Assert.DoesNotContain(Server.Requests, r => r.PathAfterPrefix.StartsWith("/jobs/", StringComparison.Ordinal));
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        var skip = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["alpha"], skip); // RUNNING: skipped this cycle
        Assert.Contains(_log.Lines, l => l.Message == "Job hypervisor_update_1 has not finished processing. Will check after next interval.");

        poll = destination.PollPendingJobAsync(default, default);
        WaitForTimer();
        _clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Empty(await poll.WaitAsync(TimeSpan.FromSeconds(10)));
        var again = await destination.SendChangedAsync(_ => Report, new HashSet<string>(), default, default);
        Assert.Equal(1, Posts); // unchanged: not sent again
        Assert.Equal(["alpha"], again.Delivered);
    }

    [Fact]
    public async Task AThrottledJobPollWaitsRetryAfterThenAsksAgain()
    {
        var destination = NewDestination();
        await destination.SendChangedAsync(_ => Report, new HashSet<string>(), default, default);
        Server.Inject("GET", "/jobs/", new Fault.Status(429, "{}", "5"));
        var poll = destination.PollPendingJobAsync(default, default);
        WaitForTimer();
        _clock.Advance(TimeSpan.FromSeconds(15));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Server.Requests.Any(r => r.Status == 429))
        {
            Assert.True(DateTime.UtcNow < until);
            Thread.Sleep(10);
        }
        WaitForTimer();
        _clock.Advance(TimeSpan.FromSeconds(5));
        await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, Server.Requests.Count(r => r.PathAfterPrefix.StartsWith("/jobs/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AThrottledLocalUpdateIsRepeatedAfter30Seconds()
    {
        Server.Inject("PUT", "/consumers/", new Fault.Status(429, "{}"));
        var local = new DomainListReport("alpha", DateTimeOffset.UtcNow, "host-uuid", [new Guest("g-1", 1, true, "libvirt")]);
        var send = NewDestination().SendChangedAsync(_ => local, new HashSet<string>(), default, default);
        WaitForTimer();
        _clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200);
        Assert.Equal(1, Server.Requests.Count(r => r.Method == "PUT"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var outcome = await send.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([429, 204], Server.Requests.Where(r => r.Method == "PUT").Select(r => r.Status));
        Assert.Equal(["alpha"], outcome.Delivered);
    }
}
