using System.Text.Json;
using HvMonitor.IntegrationTests.Candlepin;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter;

/// <summary>The daemon (`hv-monitor report -i 60`, the real binary, test-only short timings) against the stand-in.</summary>
public sealed class DaemonTests : IAsyncLifetime
{
    private const string GuestA = "aaaaaaaa-0000-4000-8000-000000000001";
    private const string GuestB = "bbbbbbbb-0000-4000-8000-000000000002";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TestPki _pki = new();
    private readonly StandInCandlepin _server;
    private readonly ReporterSandbox _box;

    public DaemonTests()
    {
        _server = new StandInCandlepin(_pki);
        _box = new ReporterSandbox(_server, _pki);
    }

    public Task InitializeAsync()
    {
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _box.Dispose();
        _pki.Dispose();
    }

    private int Count(string method, string pathStart, int status = 200) =>
        _server.Requests.Count(r => r.Method == method && r.PathAfterPrefix.StartsWith(pathStart, StringComparison.Ordinal) && r.Status == status);

    private void WaitUntil(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"{what} did not happen; the stand-in saw:\n" + string.Join("\n", _server.Requests.Select(r => $"{r.At:HH:mm:ss.fff} {r.Method} {r.Target} -> {r.Status}")));
            Thread.Sleep(50);
        }
    }

    [Fact]
    public void SendsAtStartPollsTheJobSkipsAnUnchangedReportAndSendsAChangedOne()
    {
        var host = _box.Host("alpha", (GuestA, true));
        _box.RemoteSection("alpha", host);
        using var daemon = _box.Start("-i", "60");

        WaitUntil(() => Count("POST", "/hypervisors/") == 1, "the first check-in");
        WaitUntil(() => _server.Requests.Any(r => r.PathAfterPrefix.StartsWith("/jobs/", StringComparison.Ordinal) && r.Status == 200)
                        && Count("PUT", "/hypervisors/ACME_Corp/heartbeat") >= 4, "job polling and heartbeats");
        Assert.Equal(1, Count("POST", "/hypervisors/"));
        Assert.True(File.Exists(_box.PidFile));
        Assert.Equal(daemon.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(_box.PidFile));

        _box.Host("alpha", (GuestA, true), (GuestB, false));
        WaitUntil(() => Count("POST", "/hypervisors/") == 2, "the check-in of the changed report");
        var second = _server.Requests.Last(r => r.Method == "POST");
        Assert.Equal(2, JsonDocument.Parse(second.Body).RootElement.GetProperty("hypervisors")[0].GetProperty("guestIds").GetArrayLength());

        Assert.Equal(0, daemon.Stop());
        Assert.False(File.Exists(_box.PidFile));
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public void SighupReReadsTheConfigurationAndSendsAgainWithANewCorrelationId()
    {
        _box.RemoteSection("alpha", _box.Host("alpha", (GuestA, true)));
        using var daemon = _box.Start("-i", "60");
        WaitUntil(() => Count("POST", "/hypervisors/") == 1, "the first check-in");
        var firstId = _server.Requests.Last(r => r.Method == "POST").Header("X-Correlation-ID");

        _box.RemoteSection("beta", _box.Host("beta", (GuestB, true)));
        daemon.Signal("HUP");
        WaitUntil(() => Count("POST", "/hypervisors/") == 2, "the check-in after SIGHUP");
        var post = _server.Requests.Last(r => r.Method == "POST");
        Assert.NotEqual(firstId, post.Header("X-Correlation-ID"));
        Assert.Equal(2, JsonDocument.Parse(post.Body).RootElement.GetProperty("hypervisors").GetArrayLength());
        daemon.WaitForLog("Reloading", Patience);
        Assert.Equal(0, daemon.Stop());
    }

    [Fact]
    public void SigtermDuringARequestLetsItFinishThenExitsZero()
    {
        _box.RemoteSection("alpha", _box.Host("alpha", (GuestA, true)));
        _server.Inject("POST", "/hypervisors/", new Fault.Delay(TimeSpan.FromSeconds(2)));
        using var daemon = _box.Start("-i", "60");
        WaitUntil(() => _server.Requests.Count(r => r.PathAfterPrefix == "/status") >= 2, "the capability lookup before the check-in");
        Thread.Sleep(300); // the POST is now waiting on the slow server
        Assert.Equal(0, daemon.Stop());
        var post = Assert.Single(_server.Requests, r => r.Method == "POST");
        Assert.Equal(200, post.Status);
        Assert.False(File.Exists(_box.PidFile));
    }

    [Fact]
    public void ASecondDaemonIsRefusedAndStatusAndPrintRunsLeaveThePidFileAlone()
    {
        _box.RemoteSection("alpha", _box.Host("alpha", (GuestA, true)));
        using var daemon = _box.Start("-i", "60");
        WaitUntil(() => _server.Requests.Count(r => r.PathAfterPrefix.StartsWith("/jobs/", StringComparison.Ordinal)) >= 2, "the job to finish");

        var second = _box.Run("-i", "60");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("seems to be already running", second.Stderr);

        var text = _box.Run("-s");
        Assert.Equal(0, text.ExitCode);
        Assert.Equal("+-------------------------------------------+\n           Configuration Status\n+-------------------------------------------+\n"
                     + "Configuration Name: alpha\nSource Status: \u001b[1;32msuccess\u001b[0;0m\nDestination Status: \u001b[1;32msuccess\u001b[0;0m\n\n\n", text.Stdout);
        Assert.Equal("", text.Stderr);
        var json = _box.Run("-s", "-j");
        var config = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("configurations")[0];
        var destination = config.GetProperty("destination");
        Assert.Equal("127.0.0.1", destination.GetProperty("connection").GetString());
        Assert.Equal("FINISHED", destination.GetProperty("last_successful_send_job_status").GetString());
        Assert.EndsWith(" UTC", destination.GetProperty("last_successful_send").GetString());
        Assert.Equal(1, config.GetProperty("source").GetProperty("guests").GetInt32());
        Assert.Contains(_server.Requests, r => r.Target.EndsWith("/heartbeat?reporter_id=status_test", StringComparison.Ordinal));
        Assert.Equal(0, _box.Run("-p").ExitCode);

        Assert.True(File.Exists(_box.PidFile));
        Assert.Equal(0, daemon.Stop());
    }

    public static TheoryData<string> Faults => ["429 Retry-After", "429", "401", "410", "500", "hang", "reset"];

    [Theory]
    [MemberData(nameof(Faults))]
    public void AFailedCheckInIsSentAgainOnceTheServerAnswers(string fault)
    {
        _server.Inject("POST", "/hypervisors/", fault switch
        {
            "429 Retry-After" => new Fault.Status(429, "{}", "1"),
            "429" => new Fault.Status(429, "{}"),
            "401" => new Fault.Status(401, """{"displayMessage": "Invalid Credentials"}"""),
            "410" => new Fault.Status(410, """{"displayMessage": "Consumer has been deleted"}"""),
            "500" => new Fault.Status(500, "<html>oops</html>"),
            "hang" => new Fault.Hang(),
            _ => new Fault.Reset(),
        });
        _box.RemoteSection("alpha", _box.Host("alpha", (GuestA, true)));
        using var daemon = _box.Start("-i", "60");
        WaitUntil(() => Count("POST", "/hypervisors/") == 1, "the check-in after the failure");
        Assert.False(daemon.Process.HasExited);
        Assert.Equal(2, _server.Requests.Count(r => r.Method == "POST"));
        Assert.Equal(0, daemon.Stop());
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task ARefusedConnectionIsRetriedUntilTheServerIsBack()
    {
        await _server.StopAsync();
        _box.RemoteSection("alpha", _box.Host("alpha", (GuestA, true)));
        using var daemon = _box.Start("-i", "60");
        daemon.WaitForLog("Connection refused", Patience);
        _server.Start();
        WaitUntil(() => Count("POST", "/hypervisors/") == 1, "the check-in once the server is back");
        Assert.Equal(0, daemon.Stop());
    }
}
