using System.Text.Json;
using Xunit;

namespace HvMonitor.IntegrationTests.Snmp;

/// <summary>
/// Serve mode's --log as snmpd's user meets it: once the snmpd line has been run by hand as root, the log file is
/// root's, and every later run as snmpd's user could not append to it and lost its lines in silence (serve mode
/// has no stderr). Now the envelope's errorString says so. The source is a recording, so no lab is needed.
/// </summary>
public sealed class LogFileTests : IDisposable
{
    private readonly string _dir;
    private readonly string _recording;

    public LogFileTests()
    {
        _dir = Directory.CreateTempSubdirectory("hvm-logfile-").FullName;
        SnmpdUser.CreateOwnedDirectory(_dir);
        // A copy snmpd's user can read (temporary directories are 0700, the checkout may be under /root).
        _recording = Path.Combine(Directory.CreateTempSubdirectory("hvm-logfile-rec-").FullName, "rec");
        Directory.CreateDirectory(_recording);
        File.SetUnixFileMode(Path.GetDirectoryName(_recording)!, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(_recording, (UnixFileMode)0b111_101_101);
        foreach (var f in Directory.GetFiles(Path.Combine(RepoPaths.Root, "samples", "cbsd", "freebsd14-nocolor")))
        {
            var copy = Path.Combine(_recording, Path.GetFileName(f));
            File.Copy(f, copy);
            File.SetUnixFileMode(copy, (UnixFileMode)0b110_100_100);
        }
    }

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        Directory.Delete(Path.GetDirectoryName(_recording)!, recursive: true);
    }

    private string[] ServeLine(string log) =>
        ["-b", "CBSD", "--replay", _recording, "--cache-ttl", "240", "-c", "-o", Path.Combine(_dir, "hv_monitor.json"), "--log", log];

    [Fact]
    public void ALogFileLeftRootsByAManualRunIsReportedInTheEnvelope()
    {
        var log = Path.Combine(_dir, "hv-monitor.log");
        // The manual run as root: creates the log as root's, mode 0644.
        var asRoot = HvMonitorBinary.Run([.. ServeLine(log), "--cache-ttl", "0.001"]);
        Assert.Equal("", asRoot.Stderr);
        Assert.Equal("0 0", Shell.Check("stat", "-c", "%u %g", log).Trim());
        var before = File.ReadAllText(log);
        File.Delete(Path.Combine(_dir, "hv_monitor.json.snmp")); // stale cache: the next run collects

        var r = SnmpdUser.Run(SnmpdUser.Binary, ServeLine(log));
        Assert.Equal("", r.Stderr);
        var envelope = JsonDocument.Parse(LibreNms.DecodeToJsonText(r.StdoutBytes)).RootElement;
        Assert.Equal(0, envelope.GetProperty("error").GetInt32()); // the data is still good
        Assert.Contains($"cannot append to the log {log}: permission denied", envelope.GetProperty("errorString").GetString());
        Assert.NotEmpty(envelope.GetProperty("data").GetProperty("VMs").EnumerateObject());
        Assert.Equal(3, r.ExitCode);
        Assert.Equal(before, File.ReadAllText(log));
    }

    /// <summary>A log path that is a FIFO or a planted symbolic link is not written through, and the run does not block.</summary>
    [Theory]
    [InlineData("fifo", "a FIFO or a device, not a regular file")]
    [InlineData("symlink", "is a symbolic link")]
    public void ALogThatIsNotARegularFileIsRefusedAndReported(string kind, string problem)
    {
        var log = Path.Combine(_dir, "hv-monitor.log");
        var victim = Path.Combine(_dir, "victim");
        File.WriteAllText(victim, "precious\n");
        if (kind == "fifo")
            Shell.Check("mkfifo", log);
        else
            File.CreateSymbolicLink(log, victim);
        var r = HvMonitorBinary.Run(ServeLine(log));
        Assert.Equal("", r.Stderr);
        Assert.Contains(problem, JsonDocument.Parse(LibreNms.DecodeToJsonText(r.StdoutBytes)).RootElement.GetProperty("errorString").GetString());
        Assert.Equal("precious\n", File.ReadAllText(victim));
    }
}
