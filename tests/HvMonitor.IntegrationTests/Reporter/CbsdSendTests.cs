using System.Text.Json;
using HvMonitor.IntegrationTests.Report;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter;

/// <summary>
/// type=cbsd end to end: the real binary replays samples/cbsd-report/freebsd14 (no FreeBSD host needed) and
/// sends that host to the stand-in Candlepin, in one-shot and as the daemon. The expectation is
/// <see cref="CbsdSample"/> (read from the recordings by hand), never hv-monitor's own -p output.
/// </summary>
public sealed class CbsdSendTests : StandInCandlepinTest
{
    private void CbsdSection(string name = "bsd") =>
        Box.Write($"/etc/virt-who.d/{name}.conf", $"""
            [{name}]
            type=cbsd
            owner={Server.Owner}
            rhsm_username={Server.BasicAuth!.Value.User}
            rhsm_password={Server.BasicAuth!.Value.Password}
            """);

    /// <summary>The async check-in body: one hypervisor, the sample host with its guests sorted by guestId (§5.3).</summary>
    private static void AssertCarriesTheSampleHost(string body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(["hypervisors"], root.EnumerateObject().Select(p => p.Name));
        var host = Assert.Single(root.GetProperty("hypervisors").EnumerateArray().ToList());
        Assert.Equal(CbsdSample.HostUuid, host.GetProperty("hypervisorId").GetProperty("hypervisorId").GetString());
        Assert.Equal(CbsdSample.Hostname, host.GetProperty("name").GetString());
        var guests = host.GetProperty("guestIds").EnumerateArray()
            .Select(g => (g.GetProperty("guestId").GetString()!, g.GetProperty("state").GetInt32(), g.GetProperty("attributes").GetProperty("active").GetInt32(),
                g.GetProperty("attributes").GetProperty("virtWhoType").GetString()!))
            .ToList();
        var expected = CbsdSample.Guests.OrderBy(g => g.GuestId, StringComparer.Ordinal).Select(g => (g.GuestId, g.State, g.Active, "cbsd"));
        Assert.Equal(expected, guests);
        var facts = host.GetProperty("facts");
        Assert.Equal("bhyve", facts.GetProperty("hypervisor.type").GetString());
        Assert.Equal(CbsdSample.OsRelDate, facts.GetProperty("hypervisor.version").GetInt64());
        Assert.Equal(CbsdSample.HostUuid, facts.GetProperty("dmi.system.uuid").GetString());
    }

    [Fact]
    public void OneShotSendsTheReplayedHostWithItsGuestsAndStatesAndWaitsForTheJob()
    {
        CbsdSection();
        var r = Box.Run("-o", "--replay", CbsdSample.Directory);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Empty(Server.Violations);
        var calls = Server.Calls.Select(c => $"{c.Method} {c.PathAfterPrefix}").ToList();
        Assert.Equal("PUT /hypervisors/ACME_Corp/heartbeat", calls[0]);
        Assert.Equal("POST /hypervisors/ACME_Corp", calls[1]);
        Assert.All(calls.Skip(2), c => Assert.StartsWith("GET /jobs/", c, StringComparison.Ordinal));
        var post = Server.Calls[1];
        Assert.EndsWith("?env=&cloaked=False&reporter_id=test-reporter", post.Target);
        Assert.Equal("text/plain", post.Header("Content-type"));
        AssertCarriesTheSampleHost(post.Body);
        Assert.Contains($"Sending updated Host-to-guest mapping to \"ACME_Corp\" including 1 hypervisors and {CbsdSample.Guests.Count} guests", r.Stderr);

        var runData = JsonDocument.Parse(File.ReadAllText(Box.RunData)).RootElement;
        Assert.Equal(1, runData.GetProperty("sources").GetProperty("bsd").GetProperty("hypervisors").GetInt32());
        Assert.Equal(CbsdSample.Guests.Count, runData.GetProperty("sources").GetProperty("bsd").GetProperty("guests").GetInt32());
        Assert.False(string.IsNullOrEmpty(runData.GetProperty("destinations").GetProperty("bsd").GetProperty("last_job_id").GetString()));
    }

    [Fact]
    public void TheDaemonSendsTheHostOnceKeepsItUnsentWhileUnchangedAndSendsItAgainAfterSighup()
    {
        CbsdSection();
        using var daemon = Box.Start("-i", "60", "--replay", CbsdSample.Directory);

        WaitUntil(() => Count("POST", "/hypervisors/") == 1, "the first check-in");
        AssertCarriesTheSampleHost(Server.Requests.Single(q => q.Method == "POST").Body);
        WaitUntil(() => Count("GET", "/jobs/") >= 1 && Count("PUT", "/hypervisors/ACME_Corp/heartbeat") >= 4, "job polling and heartbeats");
        Assert.Equal(1, Count("POST", "/hypervisors/"));

        // The reload keeps --replay: the re-read section collects from the recording again, not from this host.
        daemon.Signal("HUP");
        WaitUntil(() => Count("POST", "/hypervisors/") == 2, "the check-in after SIGHUP");
        AssertCarriesTheSampleHost(Server.Requests.Last(q => q.Method == "POST").Body);

        Assert.Equal(0, daemon.Stop());
        Assert.Empty(Server.Violations);
        Assert.DoesNotContain("unable to read the source", daemon.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Error in communication with the source", daemon.Stderr);
    }

    [Fact]
    public void LogPerConfigIsNamedOnceAsUnsupportedAndEverythingGoesToTheOneLogFile()
    {
        var logDir = Box.Under("/var/log/per-config");
        Box.Write("/etc/virt-who.conf", $"[global]\nreporter_id=test-reporter\nlog_per_config=true\nlog_dir={logDir}\nlog_file=hvm.log\n");
        CbsdSection();
        CbsdSection("second");

        var r = Box.Run("-o", "--replay", CbsdSample.Directory);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var warning = $"[WARNING] log_per_config is not supported by hv-monitor; everything is logged to {Path.Combine(logDir, "hvm.log")}";
        Assert.Single(r.Stderr.Split('\n'), l => l.Contains(warning, StringComparison.Ordinal));
        var file = File.ReadAllText(Path.Combine(logDir, "hvm.log"));
        Assert.Single(file.Split('\n'), l => l.Contains(warning, StringComparison.Ordinal));
        Assert.Contains("Sending updated Host-to-guest mapping", file);
        Assert.Equal(["hvm.log"], Directory.GetFiles(logDir).Select(Path.GetFileName));

        // Print mode writes no log file: its warning names stderr.
        var print = Box.Run("-p", "--replay", CbsdSample.Directory);
        Assert.True(print.ExitCode == 0, print.Stderr);
        Assert.Single(print.Stderr.Split('\n'), l => l.Contains("[WARNING] log_per_config is not supported by hv-monitor; everything is logged to stderr", StringComparison.Ordinal));
    }
}
