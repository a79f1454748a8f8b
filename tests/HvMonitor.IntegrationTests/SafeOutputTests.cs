using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>
/// The published binary as root writing its files (-w, -o) into a directory it does not trust: a target that is a
/// device, a FIFO, a symbolic link or a directory is refused with a clear error, exit 1, and nothing is written,
/// not even BASE.snmp. The source is a recorded lab host (--replay), so no libvirtd is needed.
/// </summary>
public sealed class SafeOutputTests : IDisposable
{
    private static readonly string Recording = Path.Combine(RepoPaths.Root, "samples", "libvirt", "recorded-lab");
    private readonly string _dir = Directory.CreateTempSubdirectory("hvm-safe-out-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Stat(string path) => Shell.Check("stat", "-c", "%F %t:%T %s %Y", path);

    [Theory]
    [InlineData("chardev", "a character device")]
    [InlineData("fifo", "a FIFO (named pipe)")]
    [InlineData("symlink", "a symbolic link")]
    [InlineData("dangling-symlink", "a symbolic link")]
    [InlineData("directory", "a directory")]
    [InlineData("snmp-symlink", "a symbolic link")]
    public void ATargetThatIsNotARegularFileIsRefusedAndNothingIsWritten(string kind, string described)
    {
        var target = Path.Combine(_dir, "null");
        var victim = Path.Combine(_dir, "victim");
        File.WriteAllText(victim, "precious\n");
        switch (kind)
        {
            case "chardev": Shell.Check("mknod", target, "c", "1", "3"); break; // what -o /dev/null met
            case "fifo": Shell.Check("mkfifo", target); break;
            case "symlink": Shell.Check("ln", "-s", victim, target); break;
            case "dangling-symlink": Shell.Check("ln", "-s", Path.Combine(_dir, "nowhere"), target); break;
            case "directory": Directory.CreateDirectory(target); break;
            case "snmp-symlink": Shell.Check("ln", "-s", victim, target + ".snmp"); break; // BASE is fine, BASE.snmp is not
        }
        var refused = kind == "snmp-symlink" ? target + ".snmp" : target;
        var before = Stat(refused);
        var clock = Stopwatch.StartNew();
        var r = HvMonitorBinary.Run("--replay", Recording, "-w", "-q", "-o", target);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "a FIFO must be refused, not opened");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Contains($"cannot write {refused}: it is {described}, not a regular file", r.Stderr);
        Assert.DoesNotContain(".tmp", r.Stderr);
        Assert.DoesNotContain(" : '", r.Stderr); // no raw .NET text
        Assert.Equal(before, Stat(refused));
        Assert.Equal("precious\n", File.ReadAllText(victim));
        // Nothing written: no BASE (when BASE.snmp was the refused one), no BASE.snmp, no temporary file, no link target.
        var expected = new List<string> { "victim", kind == "snmp-symlink" ? "null.snmp" : "null" }.Order(StringComparer.Ordinal);
        Assert.Equal(expected, Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>Without -q the envelope still goes to stdout, naming the refused file: the data is not lost.</summary>
    [Fact]
    public void TheEnvelopeNamesTheRefusedFileAndKeepsTheData()
    {
        var target = Path.Combine(_dir, "fifo");
        Shell.Check("mkfifo", target);
        var r = HvMonitorBinary.Run("--replay", Recording, "-w", "-o", target);
        Assert.Equal(1, r.ExitCode);
        var e = JsonDocument.Parse(r.StdoutBytes).RootElement;
        Assert.Equal(0, e.GetProperty("error").GetInt32());
        Assert.StartsWith($"cannot write {target}: it is a FIFO", e.GetProperty("errorString").GetString());
        Assert.NotEmpty(e.GetProperty("data").GetProperty("VMs").EnumerateObject());
    }

    /// <summary>
    /// What a -w killed with SIGKILL between creating and renaming its temporary file leaves, the next run removes;
    /// a fresh one (a run in progress) and anything not of our pattern stay.
    /// </summary>
    [Fact]
    public void TheNextRunRemovesTheTemporaryFileOfAKilledRun()
    {
        var target = Path.Combine(_dir, "hv_monitor.json");
        var killed = Path.Combine(_dir, ".hv_monitor.json.99999.deadbeef.tmp");
        var killedSnmp = Path.Combine(_dir, ".hv_monitor.json.snmp.99999.deadbeef.tmp");
        var inProgress = Path.Combine(_dir, ".hv_monitor.json.99998.cafef00d.tmp");
        foreach (var f in new[] { killed, killedSnmp, inProgress })
            File.WriteAllText(f, "{\"partial");
        Shell.Check("touch", "-d", "10 minutes ago", killed, killedSnmp);
        var r = HvMonitorBinary.Run("--replay", Recording, "-w", "-q", "-o", target);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal([".hv_monitor.json.99998.cafef00d.tmp", "hv_monitor.json", "hv_monitor.json.snmp"],
            Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>A real kill -9 in the middle of -w: the next run leaves the directory with only the two files.</summary>
    [Fact]
    public void AfterARealKillTheDirectoryEndsWithOnlyTheTwoFiles()
    {
        var target = Path.Combine(_dir, "hv_monitor.json");
        for (int i = 0; i < 5; i++)
        {
            var psi = new ProcessStartInfo(HvMonitorBinary.Path) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "--replay", Recording, "-w", "-q", "-o", target })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            Thread.Sleep(30 + 15 * i);
            p.Kill();
            p.WaitForExit();
        }
        // Whatever the kills left is at most seconds old; age it as a later cron run would find it.
        foreach (var f in Directory.GetFiles(_dir, ".*.tmp"))
            File.SetLastWriteTimeUtc(f, DateTime.UtcNow - TimeSpan.FromMinutes(5));
        Assert.Equal(0, HvMonitorBinary.Run("--replay", Recording, "-w", "-q", "-o", target).ExitCode);
        Assert.Equal(["hv_monitor.json", "hv_monitor.json.snmp"],
            Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AMissingDirectoryIsNamedInPlainWords()
    {
        var r = HvMonitorBinary.Run("--replay", Recording, "-w", "-q", "-o", Path.Combine(_dir, "missing", "hv_monitor.json"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"cannot write {_dir}/missing/hv_monitor.json: the directory {_dir}/missing does not exist", r.Stderr);
    }
}
