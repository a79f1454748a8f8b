using System.Text.Json;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter.Sending;

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

    /// <summary>The async check-in body: one hypervisor, the sample host with its guests sorted by guestId (docs/virt-who-compatibility.md, "Requests").</summary>
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LogFilesGoUnderTheSysrootAndLogPerConfigSplitsThemAsVirtWho(bool perConfig)
    {
        // log_dir is an admin's absolute path: under --sysroot it lands under the sysroot, never on /.
        var logDir = "/var/log/hvm-test-" + Guid.NewGuid().ToString("N");
        Box.Write("/etc/virt-who.conf", $"[global]\nreporter_id=test-reporter\nlog_per_config={perConfig}\nlog_dir={logDir}\nlog_file=hvm.log\n");
        CbsdSection();
        CbsdSection("second");

        var r = Box.Run("-o", "--replay", CbsdSample.Directory);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.False(Directory.Exists(logDir), "a log was written outside the sysroot");
        var dir = Box.Under(logDir);
        var files = Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        if (!perConfig)
        {
            Assert.Equal(["hvm.log"], files);
            var all = File.ReadAllText(Path.Combine(dir, "hvm.log"));
            // What was logged before the file opened is in it too, first, as in virt-who's log.
            int usingConfig = all.IndexOf("[INFO] Using config named 'bsd'", StringComparison.Ordinal);
            Assert.InRange(usingConfig, 0, all.IndexOf("Report for config", StringComparison.Ordinal));
            Assert.Contains("[INFO] Using reporter_id='test-reporter'", all);
            Assert.Contains("[INFO] Report for config \"bsd\" gathered", all);
            Assert.Contains("Sending updated Host-to-guest mapping", all);
            return;
        }
        // virt-who's names: the main logger from log_file (dots and slashes as '_'), one per destination (the two
        // sections share one destination).
        Assert.Equal(2, files.Count);
        Assert.Equal("virtwho.hvm_log.log", files[1]);
        Assert.Matches("^virtwho\\.destination_-?[0-9]+\\.log$", files[0]);
        var main = File.ReadAllText(Path.Combine(dir, files[1]));
        var destination = File.ReadAllText(Path.Combine(dir, files[0]));
        // the sources' lines, and what was logged before the file opened (the configuration's)
        Assert.Contains("[INFO] Using config named 'second'", main);
        Assert.Contains("[INFO] Report for config \"bsd\" gathered", main);
        Assert.Contains("[INFO] Report for config \"second\" gathered", main);
        Assert.DoesNotContain("Sending updated Host-to-guest mapping", main);
        // both sections (the same recorded host twice) go to their one destination in one check-in
        Assert.Contains($"[INFO] Sending updated Host-to-guest mapping to \"ACME_Corp\" including 2 hypervisors and {2 * CbsdSample.Guests.Count} guests", destination);
        Assert.DoesNotContain("Report for config", destination);
        // stderr still gets every line
        Assert.Contains("Using config named 'bsd'", r.Stderr);
        Assert.Contains("Sending updated Host-to-guest mapping", r.Stderr);
    }

    [Fact]
    public void AnAbsoluteLogFileAlsoLandsUnderTheSysroot()
    {
        // An absolute log_file is the log file itself (os.path.join drops log_dir, in virt-who as here); under --sysroot
        // it lands under the sysroot too, never on /.
        var logFile = "/var/log/hvm-abs-" + Guid.NewGuid().ToString("N") + ".log";
        Box.Write("/etc/virt-who.conf", $"[global]\nreporter_id=test-reporter\nlog_dir=/var/log/hvm-ignored\nlog_file={logFile}\n");
        CbsdSection();

        var r = Box.Run("-o", "--replay", CbsdSample.Directory);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.False(File.Exists(logFile), "a log was written outside the sysroot");
        Assert.Contains("Sending updated Host-to-guest mapping", File.ReadAllText(Box.Under(logFile)));
    }

    [Fact]
    public void AReloadOfHostileFilesKeepsTheDaemonAndTheIntactSection()
    {
        CbsdSection();
        using var daemon = Box.Start("-i", "60", "--replay", CbsdSample.Directory);
        WaitUntil(() => Count("POST", "/hypervisors/") == 1, "the first check-in");

        // What exhausted or hung the reader: a %(x)s fan-out, a FIFO and /dev/zero named *.conf.
        Box.Write("/etc/virt-who.d/bomb.conf", Config.HostileFiles.FanOut("bomb"));
        Config.HostileFiles.MakeFifo(Box.Under("/etc/virt-who.d/fifo.conf"));
        File.CreateSymbolicLink(Box.Under("/etc/virt-who.d/zero.conf"), "/dev/zero");
        daemon.Signal("HUP");

        WaitUntil(() => Count("POST", "/hypervisors/") == 2, "the check-in after SIGHUP");
        AssertCarriesTheSampleHost(Server.Requests.Last(q => q.Method == "POST").Body);
        Assert.False(daemon.Process.HasExited, daemon.Stderr);
        Assert.Contains("[WARNING] Dropping invalid configuration \"bomb\"", daemon.Stderr);
        Assert.Contains($"[ERROR] Unable to read configuration file {Box.Under("/etc/virt-who.d/fifo.conf")} (a FIFO, not a regular file)", daemon.Stderr);
        Assert.Contains($"[ERROR] Unable to read configuration file {Box.Under("/etc/virt-who.d/zero.conf")} (a character device, not a regular file)", daemon.Stderr);
        daemon.Process.Refresh();
        Assert.True(daemon.Process.PeakWorkingSet64 < 1024L * 1024 * 1024, $"peak working set {daemon.Process.PeakWorkingSet64}");
        Assert.Equal(0, daemon.Stop());
    }
}
