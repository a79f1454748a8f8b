using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>
/// The published binary's messages as a user meets them: no password from --uri anywhere, bad recordings named
/// with their problem (and at once, for special files), no raw .NET texts, coherent ranges, a hint for a recording
/// replayed with the wrong backend, and serve-mode runs that agree on their exit status. No lab needed.
/// </summary>
public sealed class UserFacingMessageTests : IDisposable
{
    private static readonly string LibvirtRecording = Path.Combine(RepoPaths.Root, "samples", "libvirt", "recorded-lab");
    private readonly string _dir = Directory.CreateTempSubdirectory("hvm-messages-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("qemu+tcp://monitor:PW-s3cr3t@127.0.0.1:1/system", "qemu+tcp://monitor:***@127.0.0.1:1/system")]
    [InlineData("qemu+tcp://monitor:PW-s3cr3t@127.0.0.1:1/system?password=PW-s3cr3t", "qemu+tcp://monitor:***@127.0.0.1:1/system?password=***")]
    public void APasswordInTheUriReachesNoMessageNoLogAndNoEnvelope(string uri, string shown)
    {
        var log = Path.Combine(_dir, "hv-monitor.log");
        var cache = Path.Combine(_dir, "hv_monitor.json");
        var plain = HvMonitorBinary.Run("--uri", uri, "--log", log);
        var serve = HvMonitorBinary.Run("--uri", uri, "--cache-ttl", "60", "-o", cache, "--log", log);
        var written = HvMonitorBinary.Run("--uri", uri, "-w", "-o", cache);
        foreach (var r in new[] { plain, serve, written })
        {
            Assert.Equal(1, r.ExitCode);
            Assert.DoesNotContain("PW-s3cr3t", r.Stdout + r.Stderr);
            var errorString = JsonDocument.Parse(r.StdoutBytes).RootElement.GetProperty("errorString").GetString()!;
            Assert.Contains($"cannot connect to libvirt at '{shown}'", errorString);
        }
        Assert.Contains(shown, plain.Stderr);
        var everything = File.ReadAllText(log) + File.ReadAllText(cache) + File.ReadAllText(cache + ".snmp");
        Assert.DoesNotContain("PW-s3cr3t", everything);
        Assert.Contains(shown, File.ReadAllText(log));
    }

    public static TheoryData<string, string, string> BadRecordings => new()
    {
        // what, the file's content, what the message says about it
        { "empty", "", "is empty" },
        { "no header", "Domain: 'x'\n  state.state=1\n", "is not '$ ' and the probe's command" },
        { "5000-digit exit status", "$ virsh -r domstats\n# exit " + new string('7', 5000) + "\n", "is not '# exit N'" },
        { "4 MB line", new string('#', 1) + " exit " + new string('x', 4 << 20) + "\n", "is not '$ ' and the probe's command" },
    };

    [Theory]
    [MemberData(nameof(BadRecordings))]
    public void ABadRecordingFileIsNamedWithItsProblemAndQuotedShort(string what, string content, string problem)
    {
        var recording = CopyOfLibvirtRecording();
        var bad = Path.Combine(recording, "zz-bad.txt");
        File.WriteAllText(bad, content);
        var r = HvMonitorBinary.Run("--replay", recording);
        Assert.True(r.ExitCode == 1, $"{what}: exit {r.ExitCode}");
        var errorString = JsonDocument.Parse(r.StdoutBytes).RootElement.GetProperty("errorString").GetString()!;
        Assert.StartsWith($"cannot replay '{recording}': recording file {bad}", errorString);
        Assert.Contains(problem, errorString);
        Assert.DoesNotContain("unexpectedly", errorString);
        Assert.DoesNotContain("Exception", errorString);
        Assert.True(r.Stderr.Length < 1000, $"{what}: {r.Stderr.Length} characters on stderr");
        Assert.True(r.StdoutBytes.Length < 2000, $"{what}: {r.StdoutBytes.Length} bytes on stdout"); // the envelope with its zero totals is ~800
    }

    /// <summary>A FIFO with no writer blocked the replay until the deadline; a device is never opened.</summary>
    [Theory]
    [InlineData("fifo")]
    [InlineData("chardev")]
    public void ASpecialFileInARecordingIsRefusedAtOnce(string kind)
    {
        var recording = CopyOfLibvirtRecording();
        var special = Path.Combine(recording, "zz-special.txt");
        if (kind == "fifo")
            Shell.Check("mkfifo", special);
        else
            Shell.Check("mknod", special, "c", "1", "5"); // /dev/zero: reading it would never end
        var clock = Stopwatch.StartNew();
        var r = HvMonitorBinary.Run("--replay", recording, "--timeout", "60");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Equal(1, r.ExitCode);
        var errorString = JsonDocument.Parse(r.StdoutBytes).RootElement.GetProperty("errorString").GetString()!;
        Assert.Contains($"recording file {special} is a", errorString);
        Assert.Contains("not a regular file", errorString);
    }

    [Fact]
    public void ACbsdRecordingReplayedWithoutDashBCbsdSaysSo()
    {
        var r = HvMonitorBinary.Run("--replay", Path.Combine(RepoPaths.Root, "samples", "cbsd", "freebsd14-nocolor"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("replay it with -b CBSD", r.Stderr);
        Assert.Contains("replay it with -b CBSD", JsonDocument.Parse(r.StdoutBytes).RootElement.GetProperty("errorString").GetString());
    }

    [Theory]
    [InlineData("--timeout", "0")]
    [InlineData("--timeout", "86401")]
    [InlineData("--cache-ttl", "-1")]
    public void ASecondsValueOutOfRangeIsRefusedWithACoherentRange(string option, string value)
    {
        var r = HvMonitorBinary.Run("--replay", LibvirtRecording, option, value);
        Assert.Equal(2, r.ExitCode);
        var message = $"{option} takes a number of seconds above 0 and at most 86400 (one day), e.g. 30 or 0.5, not '{value}'";
        // Serve mode (--cache-ttl) never writes stderr: the envelope carries the message.
        Assert.Contains(message, option == "--cache-ttl" ? r.Stdout : r.Stderr);
    }

    [Fact]
    public void AnOutputPathThatIsADirectoryIsSaidInPlainWords()
    {
        var r = HvMonitorBinary.Run("--replay", LibvirtRecording, "-w", "-q", "-o", _dir);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"cannot write {_dir}: it is a directory, not a regular file", r.Stderr);
        Assert.DoesNotContain("Is a directory : ", r.Stderr);
    }

    /// <summary>
    /// Concurrent serve-mode runs share one collection: the one that collected and the ones that waited for it (or
    /// found it fresh) print the same envelope and exit with the same status, here 3 (the sample's warnings) and 1
    /// (a recording that does not replay).
    /// </summary>
    [Theory]
    [InlineData("freebsd14-nocolor", 3)]
    [InlineData("empty", 1)]
    public void ConcurrentServeModeRunsAgreeOnTheExitStatus(string host, int exit)
    {
        var recording = host == "empty" ? Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName
            : Path.Combine(RepoPaths.Root, "samples", "cbsd", host);
        var cache = Path.Combine(_dir, "hv_monitor.json");
        const int runs = 8;
        var results = new CommandResult[runs];
        using var start = new Barrier(runs);
        var threads = Enumerable.Range(0, runs).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            results[i] = HvMonitorBinary.Run("-b", "CBSD", "--replay", recording, "--cache-ttl", "240", "-c", "-o", cache);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.All(results, r => Assert.Equal(results[0].StdoutBytes, r.StdoutBytes));
        Assert.Equal(Enumerable.Repeat(exit, runs), results.Select(r => r.ExitCode));
        // And a later run within the TTL, served from the cache alone, agrees too.
        Assert.Equal(exit, HvMonitorBinary.Run("-b", "CBSD", "--replay", recording, "--cache-ttl", "240", "-c", "-o", cache).ExitCode);
    }

    private string CopyOfLibvirtRecording()
    {
        var copy = Directory.CreateDirectory(Path.Combine(_dir, "recording")).FullName;
        foreach (var f in Directory.GetFiles(LibvirtRecording))
            File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        return copy;
    }
}
