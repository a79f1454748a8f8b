using System.Globalization;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace HvMonitor.IntegrationTests.Snmp;

/// <summary>
/// Serve mode (--cache-ttl) as snmpd runs it: as snmpd's unprivileged user, several at once, and never a
/// byte on stderr (snmpd merges stderr into the output LibreNMS decodes).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class ServeModeTests(ITestOutputHelper output)
{
    private const string Uri = LabFixture.Uri;

    private static string NewCacheDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("hvm-serve-").FullName;
        SnmpdUser.CreateOwnedDirectory(dir);
        return dir;
    }

    [Fact]
    public void ConcurrentRunsWithAStaleCacheCollectOnceAndAllPrintTheWholeReport()
    {
        var dir = NewCacheDirectory();
        var cacheBase = Path.Combine(dir, "hv_monitor.json");
        var log = Path.Combine(dir, "hv-monitor.log");
        // A stale cache that does not decode: whoever printed it would fail the checks below.
        foreach (var file in new[] { cacheBase, cacheBase + ".snmp" })
        {
            File.WriteAllText(file, "stale\n");
            Shell.Check("chown", $"{SnmpdUser.Name}:{SnmpdUser.Name}", file);
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow - TimeSpan.FromHours(1));
        }

        const int runs = 8;
        var results = new CommandResult[runs];
        using var start = new Barrier(runs);
        var threads = Enumerable.Range(0, runs).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            results[i] = SnmpdUser.Run(SnmpdUser.Binary, "--cache-ttl", "240", "-c", "-o", cacheBase, "--log", log, "--uri", Uri);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var logLines = File.ReadAllLines(log);
        output.WriteLine(string.Join('\n', logLines));
        Assert.Single(logLines, l => l.Contains("]: collected ", StringComparison.Ordinal));
        // Nothing else, but warnings about another user's guest that vanished during the collection.
        Assert.All(logLines.Where(l => !l.Contains("]: collected ", StringComparison.Ordinal)),
            l => LabGuests.AssertCleanForOurGuests(3, "hv-monitor: " + l[(l.IndexOf("]: ", StringComparison.Ordinal) + 3)..]));
        var written = File.ReadAllBytes(cacheBase + ".snmp");
        var names = GroundTruth.DomainNames(Uri);
        foreach (var r in results)
        {
            // Every run exits as the collection did: 0, or 3 when another user's guest vanished mid-run.
            Assert.Equal(results[0].ExitCode, r.ExitCode);
            Assert.Contains(r.ExitCode, new[] { 0, 3 });
            Assert.Equal("", r.Stderr);
            // Every run printed the complete report the one collector wrote, never the stale or a partial file.
            Assert.Equal(written, r.StdoutBytes);
        }
        var doc = LibreNms.JsonAppGet(written);
        Assert.Equal(names.Order(StringComparer.Ordinal), LabGuests.OurNames(doc.GetProperty("data").GetProperty("VMs")));
        LabGuests.AssertErrorStringCleanForOurGuests(doc.GetProperty("errorString").GetString()!);
        Assert.Equal(LibreNms.PhpTrim(File.ReadAllBytes(cacheBase), "\n"u8), LibreNms.DecodeToJsonText(written));
        Assert.Equal(["hv-monitor.log", "hv_monitor.json", "hv_monitor.json.lock", "hv_monitor.json.snmp"],
            Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string[], int, string> Failures => new()
    {
        // what, arguments after --cache-ttl 60, the envelope's error, what the log must say
        { "libvirtd unreachable", ["--uri", "qemu+unix:///system?socket=/nonexistent/libvirt-sock"], 2, "cannot connect to libvirt" },
        { "an unknown flag", ["--uri", Uri, "--no-such-flag"], 3, "" },
        { "a cache directory that does not exist", ["--uri", Uri, "-o", "/nonexistent-hvm-dir/hv_monitor.json"], 0, "cannot write /nonexistent-hvm-dir/hv_monitor.json" },
        { "a timeout", ["--uri", Uri, "--timeout", "0.001"], 2, "did not finish within" },
    };

    /// <summary>Whatever goes wrong, stdout carries an envelope that says so, stderr stays empty, and the log has the details.</summary>
    [Theory]
    [MemberData(nameof(Failures))]
    public void NothingIsEverWrittenToStderrEvenOnErrors(string what, string[] args, int error, string logged)
    {
        var dir = NewCacheDirectory();
        var log = Path.Combine(dir, "hv-monitor.log");
        string[] defaults = args.Contains("-o") ? [] : ["-o", Path.Combine(dir, "hv_monitor.json")];
        var r = SnmpdUser.Run(SnmpdUser.Binary, ["--cache-ttl", "60", "--log", log, .. defaults, .. args]);
        output.WriteLine($"{what}: exit {r.ExitCode}, stdout: {r.Stdout}");
        Assert.Equal("", r.Stderr);
        var envelope = JsonDocument.Parse(r.StdoutBytes).RootElement;
        Assert.Equal(error, envelope.GetProperty("error").GetInt32());
        Assert.NotEqual("", envelope.GetProperty("errorString").GetString());
        if (logged.Length > 0)
            Assert.Contains(logged, File.ReadAllText(log));
    }

    /// <summary>The likely set-up mistake: the cache directory belongs to root. LibreNMS still gets the data, and an error naming the path.</summary>
    [Fact]
    public void ACacheDirectorySnmpdsUserCannotWriteIsAnErrorButTheDataIsServed()
    {
        var dir = Directory.CreateTempSubdirectory("hvm-serve-root-").FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101); // root's, readable by all, writable by root only
        var log = Path.Combine(NewCacheDirectory(), "hv-monitor.log");
        var r = SnmpdUser.Run(SnmpdUser.Binary, "--cache-ttl", "60", "-c", "-o", Path.Combine(dir, "hv_monitor.json"), "--log", log, "--uri", Uri);
        Assert.Equal("", r.Stderr);
        Assert.Equal(1, r.ExitCode);
        var envelope = JsonDocument.Parse(LibreNms.DecodeToJsonText(r.StdoutBytes)).RootElement;
        // Usable data: error 0, or LibreNMS would throw it away; errorString and the log name the path.
        Assert.Equal(0, envelope.GetProperty("error").GetInt32());
        Assert.Contains($"cannot write {dir}/hv_monitor.json", envelope.GetProperty("errorString").GetString());
        Assert.Equal(GroundTruth.DomainNames(Uri).Order(StringComparer.Ordinal), LabGuests.OurNames(envelope.GetProperty("data").GetProperty("VMs")));
        Assert.Contains($"cannot write {dir}/hv_monitor.json", File.ReadAllText(log));
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void AnUnwritableLogFileIsNoReasonToWriteStderr()
    {
        var dir = NewCacheDirectory();
        var r = SnmpdUser.Run(SnmpdUser.Binary, "--cache-ttl", "60", "-c", "-o", Path.Combine(dir, "hv_monitor.json"),
            "--log", "/nonexistent-hvm-dir/hv-monitor.log", "--uri", Uri);
        Assert.Equal("", r.Stderr);
        // Not silent either: the envelope says the log is lost (a warning: exit 3, error 0, the data kept).
        Assert.Equal(3, r.ExitCode);
        var envelope = LibreNms.JsonAppGet(r.StdoutBytes);
        Assert.Equal(0, envelope.GetProperty("error").GetInt32());
        Assert.Contains("cannot append to the log /nonexistent-hvm-dir/hv-monitor.log", envelope.GetProperty("errorString").GetString());
    }

    /// <summary>
    /// Everything hv-monitor reports, snmpd's user sees too: the read-only libvirt socket gives the same
    /// domain data, and the QEMU processes' /proc/PID/stat, status and cmdline are world-readable. The
    /// unprivileged run comes after root's, so no counter may be lower and none that root saw non-zero
    /// may be zero.
    /// </summary>
    [Fact]
    public void SnmpdsUserSeesEveryFieldRootSees()
    {
        var asRoot = HvMonitorBinary.Run("--uri", Uri);
        var asUser = SnmpdUser.Run(SnmpdUser.Binary, "--uri", Uri);
        LabGuests.AssertCleanForOurGuests(asUser.ExitCode, asUser.Stderr);
        // Our guests only: another user's guest may have changed state between the two runs.
        var root = LabGuests.Ours(JsonDocument.Parse(asRoot.StdoutBytes).RootElement.GetProperty("data").GetProperty("VMs"));
        var user = LabGuests.Ours(JsonDocument.Parse(asUser.StdoutBytes).RootElement.GetProperty("data").GetProperty("VMs"));
        LabGuests.AssertErrorStringCleanForOurGuests(JsonDocument.Parse(asUser.StdoutBytes).RootElement.GetProperty("errorString").GetString()!);
        int compared = 0;
        foreach (var (name, vm) in root)
            compared += CompareSameOrLater(vm, user[name], $"VM '{name}'");
        Assert.Equal(root.Keys.Order(StringComparer.Ordinal), user.Keys.Order(StringComparer.Ordinal));
        output.WriteLine($"{compared} values compared between root's and {SnmpdUser.Name}'s run");
        // The process figures are really there for the unprivileged user, not just zero in both runs.
        foreach (var name in GroundTruth.DomStats(Uri).Where(kv => kv.Value["state.state"] == "1").Select(kv => kv.Key))
        {
            foreach (var key in new[] { "etimes", "vsz", "rss", "minflt", "nvcsw", "pmem" })
                Assert.True(user[name].GetProperty(key).GetDouble() > 0, $"'{name}' {key} is 0 for {SnmpdUser.Name}");
        }
    }

    /// <summary>Gauges and text that may move between two runs a moment apart; everything else is a counter or constant.</summary>
    private static readonly HashSet<string> Gauges = ["pcpu", "pmem", "rss", "vsz", "in_use", "on_disk", "disk_in_use", "disk_on_disk"];

    private static int CompareSameOrLater(JsonElement root, JsonElement user, string where)
    {
        int n = 0;
        foreach (var p in root.EnumerateObject())
        {
            Assert.True(user.TryGetProperty(p.Name, out var u), $"{where}: '{p.Name}' missing for {SnmpdUser.Name}");
            var what = $"{where} {p.Name}";
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    n += CompareSameOrLater(p.Value, u, what);
                    break;
                case JsonValueKind.Number when Gauges.Contains(p.Name):
                    Assert.True(p.Value.GetDouble() == 0 || u.GetDouble() > 0, $"{what}: root saw {p.Value}, {SnmpdUser.Name} saw {u}");
                    n++;
                    break;
                case JsonValueKind.Number:
                    Assert.True(u.GetDouble() >= p.Value.GetDouble(), $"{what}: root saw {p.Value}, {SnmpdUser.Name} saw {u} (later, so not less)");
                    Assert.True(p.Value.GetDouble() == 0 || u.GetDouble() > 0, $"{what}: hidden from {SnmpdUser.Name}");
                    n++;
                    break;
                default:
                    Assert.Equal(p.Value.GetRawText(), u.GetRawText());
                    n++;
                    break;
            }
        }
        return n;
    }

    /// <summary>
    /// The boundary, read with the system's tools as snmpd's user: what hv-monitor reads is readable, and
    /// what it does not need is not (so docs/librenms.md can say precisely what that user sees).
    /// </summary>
    [Fact]
    public void SnmpdsUserCanReadWhatHvMonitorReadsAndNotMore()
    {
        var running = GroundTruth.DomStats(Uri).Where(kv => kv.Value["state.state"] == "1").Select(kv => kv.Key).ToList();
        Assert.NotEmpty(running);
        // Not 'hvm "q" \b': libvirt names its pid file with &quot; (GroundTruth.QemuPid), so `cat NAME.pid` cannot find it.
        var guest = running.FirstOrDefault(n => n.Contains(' ') && !n.Contains('"')) ?? running[0];
        var pid = GroundTruth.QemuPid(guest).ToString(CultureInfo.InvariantCulture);
        var qemuUser = Shell.Check("ps", "-o", "user=", "-p", pid).Trim();
        Assert.NotEqual(SnmpdUser.Name, qemuUser);
        output.WriteLine($"'{guest}': QEMU pid {pid} runs as {qemuUser}");

        // Readable: libvirt's read-only socket, the pid file, /proc/PID/{stat,status,cmdline}.
        Assert.Equal(0, SnmpdUser.Run("virsh", "-r", "-c", Uri, "domstats", "--raw", guest).ExitCode);
        Assert.Equal(pid, SnmpdUser.Run("cat", $"/run/libvirt/qemu/{guest}.pid").Stdout.Trim());
        foreach (var file in new[] { "stat", "status", "cmdline" })
        {
            var r = SnmpdUser.Run("cat", $"/proc/{pid}/{file}");
            Assert.True(r.ExitCode == 0 && r.StdoutBytes.Length > 0, $"/proc/{pid}/{file} is not readable by {SnmpdUser.Name}: {r.Stderr}");
        }
        // Not readable, and not used: another user's I/O counters, environment and open files.
        foreach (var file in new[] { "io", "environ" })
            Assert.NotEqual(0, SnmpdUser.Run("cat", $"/proc/{pid}/{file}").ExitCode);
        Assert.NotEqual(0, SnmpdUser.Run("ls", $"/proc/{pid}/fd").ExitCode);
        // Read-only means read-only: the read-write socket refuses snmpd's user, so it cannot control VMs.
        var rw = SnmpdUser.Run("virsh", "-c", Uri, "list", "--all");
        Assert.NotEqual(0, rw.ExitCode);
        output.WriteLine($"read-write connection as {SnmpdUser.Name}: {rw.Stderr.Trim()}");
        // The domain XML's secure parts (e.g. VNC passwords) need a read-write connection.
        Assert.NotEqual(0, SnmpdUser.Run("virsh", "-r", "-c", Uri, "dumpxml", "--security-info", guest).ExitCode);
        Assert.Contains("<graphics", SnmpdUser.Run("virsh", "-r", "-c", Uri, "dumpxml", "hvm-alpha").Stdout);
    }
}
