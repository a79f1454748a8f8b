using System.Text.Json;
using HvMonitor.IntegrationTests.Reporter.Candlepin;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter.Daemon;

/// <summary>The daemon (`hv-monitor report -i 60`, the real binary, test-only short timings) against the stand-in.</summary>
public sealed class DaemonTests : StandInCandlepinTest
{
    [Fact]
    public void SendsAtStartPollsTheJobSkipsAnUnchangedReportAndSendsAChangedOne()
    {
        var host = Box.Host("alpha", (GuestA, true));
        Box.RemoteSection("alpha", host);
        using var daemon = Box.Start("-i", "60");

        WaitUntil(() => Count("POST", "/hypervisors/") == 1, "the first check-in");
        WaitUntil(() => Server.Requests.Any(r => r.PathAfterPrefix.StartsWith("/jobs/", StringComparison.Ordinal) && r.Status == 200)
                        && Count("PUT", "/hypervisors/ACME_Corp/heartbeat") >= 4, "job polling and heartbeats");
        Assert.Equal(1, Count("POST", "/hypervisors/"));
        Assert.True(File.Exists(Box.PidFile));
        Assert.Equal(daemon.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Box.PidFile));

        Box.Host("alpha", (GuestA, true), (GuestB, false));
        WaitUntil(() => Count("POST", "/hypervisors/") == 2, "the check-in of the changed report");
        var second = Server.Requests.Last(r => r.Method == "POST");
        Assert.Equal(2, JsonDocument.Parse(second.Body).RootElement.GetProperty("hypervisors")[0].GetProperty("guestIds").GetArrayLength());

        Assert.Equal(0, daemon.Stop());
        Assert.False(File.Exists(Box.PidFile));
        Assert.Empty(Server.Violations);
    }

    [Fact]
    public void SighupReReadsTheConfigurationAndSendsAgainWithANewCorrelationId()
    {
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)));
        using var daemon = Box.Start("-i", "60");
        WaitUntil(() => Count("POST", "/hypervisors/") == 1, "the first check-in");
        var firstId = Server.Requests.Last(r => r.Method == "POST").Header("X-Correlation-ID");

        Box.RemoteSection("beta", Box.Host("beta", (GuestB, true)));
        daemon.Signal("HUP");
        WaitUntil(() => Count("POST", "/hypervisors/") == 2, "the check-in after SIGHUP");
        var post = Server.Requests.Last(r => r.Method == "POST");
        Assert.NotEqual(firstId, post.Header("X-Correlation-ID"));
        Assert.Equal(2, JsonDocument.Parse(post.Body).RootElement.GetProperty("hypervisors").GetArrayLength());
        daemon.WaitForLog("Reloading", Patience);
        Assert.Equal(0, daemon.Stop());
    }

    [Fact]
    public void EachCycleFirstPollsTheJobThenHeartbeatsThenSendsAsVirtWhoDoes()
    {
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)));
        using var daemon = Box.StartWithTiming("interval=2,jobpoll=0.5,throttle=1,debounce=0.2,eventgap=0.5,jobtimeout=20,reconnect=1", "-i", "60");
        WaitUntil(() => Server.Requests.Count >= 16, "three cycles");
        Assert.Equal(0, daemon.Stop());
        var requests = Server.Requests.Take(16).ToList();
        var jobPaths = requests.Where(r => r.PathAfterPrefix.StartsWith("/jobs/", StringComparison.Ordinal)).Select(r => r.PathAfterPrefix).Distinct();
        Assert.Single(jobPaths); // the one job of the one check-in, asked twice (RUNNING, then FINISHED)
        string[] ping = ["GET /status/"], capabilities = ["GET /status/", "GET /status"];
        string[] heartbeat = [.. capabilities, "PUT /hypervisors/ACME_Corp/heartbeat"], job = [.. ping, "GET /jobs/ID"];
        Assert.Equal(
            [
                .. heartbeat, .. capabilities, "POST /hypervisors/ACME_Corp", // start: nothing to poll yet
                .. job, .. heartbeat, // RUNNING: the section waits, nothing is sent
                .. job, .. heartbeat, // FINISHED: the unchanged report is not sent again
            ],
            requests.Select(r => $"{r.Method} {(r.PathAfterPrefix.StartsWith("/jobs/", StringComparison.Ordinal) ? "/jobs/ID" : r.PathAfterPrefix)}"));
        Assert.Equal($"{Server.Prefix}/jobs/{jobPaths.Single()[6..]}?result_data=True", requests[7].Target);
        // The job poll waits (0.5 s) after the check-in; a cycle starts every interval (2 s), not as soon as the
        // previous one ends (which would put the two polls about 0.5 s apart). The stand-in stamps a request when it
        // handles it, which on a busy test host lags by up to ~0.8 s (seen in repeated runs), so the bound between
        // two polls is half the interval, not the whole.
        Assert.True(requests[7].At - requests[5].At >= TimeSpan.FromSeconds(0.45), $"first job poll {requests[7].At - requests[5].At} after the check-in");
        Assert.True(requests[12].At - requests[7].At >= TimeSpan.FromSeconds(1.0), $"second job poll {requests[12].At - requests[7].At} after the first");
        Assert.Empty(Server.Violations);
    }

    [Theory]
    [InlineData("trap '' HUP TERM; exec \"$0\" \"$@\"", "TERM", 0)]
    [InlineData("trap '' INT; exec nohup \"$0\" \"$@\"", "INT", 1)]
    public void ADaemonStartedWithSignalsIgnoredStillReloadsOnSighupAndStops(string prelude, string stopSignal, int exitCode)
    {
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)));
        using var daemon = Box.StartWrapped(prelude, "-i", "60");
        WaitUntil(() => Count("POST", "/hypervisors/") == 1, "the first check-in");
        daemon.Signal("HUP");
        WaitUntil(() => Count("POST", "/hypervisors/") == 2, "the check-in after SIGHUP");
        daemon.WaitForLog("Reloading", Patience);
        daemon.Signal(stopSignal);
        Assert.True(daemon.Process.WaitForExit(TimeSpan.FromSeconds(15)), $"SIGINT/SIGTERM ignored:\n{daemon.Stderr}");
        Assert.Equal(exitCode, daemon.Process.ExitCode);
        Assert.False(File.Exists(Box.PidFile));
    }

    [Fact]
    public void SigtermDuringARequestLetsItFinishThenExitsZero()
    {
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)));
        Server.Inject("POST", "/hypervisors/", new Fault.Delay(TimeSpan.FromSeconds(2)));
        using var daemon = Box.Start("-i", "60");
        WaitUntil(() => Server.Requests.Count(r => r.PathAfterPrefix == "/status") >= 2, "the capability lookup before the check-in");
        Thread.Sleep(300); // the POST is now waiting on the slow server
        Assert.Equal(0, daemon.Stop());
        var post = Assert.Single(Server.Requests, r => r.Method == "POST");
        Assert.Equal(200, post.Status);
        Assert.False(File.Exists(Box.PidFile));
    }

    [Fact]
    public void ASecondDaemonIsRefusedAndStatusAndPrintRunsLeaveThePidFileAlone()
    {
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)));
        using var daemon = Box.Start("-i", "60");
        WaitUntil(() => Server.Requests.Count(r => r.PathAfterPrefix.StartsWith("/jobs/", StringComparison.Ordinal)) >= 2, "the job to finish");

        var second = Box.Run("-i", "60");
        Assert.Equal(1, second.ExitCode);
        // A plain message, as virt-who prints it, not a timestamped log line.
        Assert.Contains($"hv-monitor report seems to be already running. If not, remove {Box.PidFile}", second.Stderr.Split('\n'));

        var text = Box.Run("-s");
        Assert.Equal(0, text.ExitCode);
        Assert.Equal("+-------------------------------------------+\n           Configuration Status\n+-------------------------------------------+\n"
                     + "Configuration Name: alpha\nSource Status: \u001b[1;32msuccess\u001b[0;0m\nDestination Status: \u001b[1;32msuccess\u001b[0;0m\n\n\n", text.Stdout);
        Assert.Equal("", text.Stderr);
        var json = Box.Run("-s", "-j");
        var config = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("configurations")[0];
        var destination = config.GetProperty("destination");
        Assert.Equal("127.0.0.1", destination.GetProperty("connection").GetString());
        Assert.Equal("FINISHED", destination.GetProperty("last_successful_send_job_status").GetString());
        Assert.EndsWith(" UTC", destination.GetProperty("last_successful_send").GetString());
        Assert.Equal(1, config.GetProperty("source").GetProperty("guests").GetInt32());
        Assert.Contains(Server.Requests, r => r.Target.EndsWith("/heartbeat?reporter_id=status_test", StringComparison.Ordinal));
        Assert.Equal(0, Box.Run("-p").ExitCode);

        Assert.True(File.Exists(Box.PidFile));
        Assert.Equal(0, daemon.Stop());
    }

    public static TheoryData<string> Faults => ["429 Retry-After", "429", "401", "410", "500", "hang", "reset"];

    [Theory]
    [MemberData(nameof(Faults))]
    public void AFailedCheckInIsSentAgainOnceTheServerAnswers(string fault)
    {
        Server.Inject("POST", "/hypervisors/", fault switch
        {
            "429 Retry-After" => new Fault.Status(429, "{}", "1"),
            "429" => new Fault.Status(429, "{}"),
            "401" => new Fault.Status(401, """{"displayMessage": "Invalid Credentials"}"""),
            "410" => new Fault.Status(410, """{"displayMessage": "Consumer has been deleted"}"""),
            "500" => new Fault.Status(500, "<html>oops</html>"),
            "hang" => new Fault.Hang(),
            _ => new Fault.Reset(),
        });
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)));
        using var daemon = Box.Start("-i", "60");
        WaitUntil(() => Count("POST", "/hypervisors/") == 1, "the check-in after the failure");
        Assert.False(daemon.Process.HasExited);
        Assert.Equal(2, Server.Requests.Count(r => r.Method == "POST"));
        Assert.Equal(0, daemon.Stop());
        Assert.Empty(Server.Violations);
    }

    [Fact]
    public async Task ARefusedConnectionIsRetriedUntilTheServerIsBack()
    {
        await Server.StopAsync();
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)));
        using var daemon = Box.Start("-i", "60");
        daemon.WaitForLog("Connection refused", Patience);
        Server.Start();
        WaitUntil(() => Count("POST", "/hypervisors/") == 1, "the check-in once the server is back");
        Assert.Equal(0, daemon.Stop());
    }
}
