using System.Text.Json;
using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>Every failure still yields a LibreNMS envelope with a precise errorString, and nothing on stderr from libvirt.</summary>
public sealed class FailureTests
{
    private static JsonElement Envelope(CommandResult r) => JsonDocument.Parse(r.StdoutBytes).RootElement;

    [Fact]
    public void AnUnreachableDaemonNamesTheUriAndLibvirtsReason()
    {
        var uri = "qemu+unix:///system?socket=/nonexistent/libvirt-sock";
        var r = HvMonitorBinary.Run("--uri", uri);
        Assert.Equal(1, r.ExitCode);
        // Our one line for cron's mail; libvirt's own error printing is silenced.
        Assert.StartsWith($"hv-monitor: error: cannot connect to libvirt at '{uri}': ", r.Stderr);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
        var e = Envelope(r);
        Assert.Equal(2, e.GetProperty("error").GetInt32());
        var message = e.GetProperty("errorString").GetString()!;
        Assert.Contains(uri, message);
        Assert.Contains("/nonexistent/libvirt-sock", message);
        Assert.Empty(e.GetProperty("data").GetProperty("VMs").EnumerateObject());
        Assert.Equal(0UL, e.GetProperty("data").GetProperty("totals").GetProperty("on").GetUInt64());
    }

    [Fact]
    public void AMissingLibvirtLibrarySaysWhatToInstall()
    {
        var r = HvMonitorBinary.RunWithEnv(new Dictionary<string, string> { ["HV_MONITOR_LIBVIRT"] = "/nonexistent/libvirt.so.0" }, "--uri", "test:///default");
        Assert.Equal(1, r.ExitCode);
        var e = Envelope(r);
        Assert.Equal(1, e.GetProperty("error").GetInt32());
        Assert.Contains("apt-get install libvirt0", e.GetProperty("errorString").GetString());
    }

    [Fact]
    public void UsageErrorsExitTwoAndStillPrintAnEnvelope()
    {
        var r = HvMonitorBinary.Run("-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("-q only makes sense with -w", r.Stderr);
        Assert.Equal(3, Envelope(r).GetProperty("error").GetInt32());
    }

    [Fact]
    public void AnUnwritableCacheIsAnErrorButTheDataIsStillPrinted()
    {
        var r = HvMonitorBinary.Run("--uri", "test:///default", "-w", "-o", "/nonexistent-dir/hv_monitor.json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cannot write /nonexistent-dir/hv_monitor.json", r.Stderr);
        var e = Envelope(r);
        // The data is usable, so error stays 0 (LibreNMS would throw it away otherwise); errorString names the path.
        Assert.Equal(0, e.GetProperty("error").GetInt32());
        Assert.Contains("/nonexistent-dir/hv_monitor.json", e.GetProperty("errorString").GetString());
        Assert.NotEmpty(e.GetProperty("data").GetProperty("VMs").EnumerateObject());
    }

    [Fact]
    public void AFailedRunKeepsThePreviousCacheWhole()
    {
        var dir = Directory.CreateTempSubdirectory("hvm-fail-").FullName;
        var target = Path.Combine(dir, "hv_monitor.json");
        Assert.Equal(0, HvMonitorBinary.Run("--uri", "test:///default", "-w", "-q", "-o", target).ExitCode);
        var good = File.ReadAllText(target);
        // The .snmp file cannot be replaced (a directory is in the way): the JSON file must be whole, either old or new.
        File.Delete(target + ".snmp");
        Directory.CreateDirectory(target + ".snmp");
        var r = HvMonitorBinary.Run("--uri", "test:///default", "-w", "-q", "-o", target);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(good.Length, File.ReadAllText(target).Length);
        JsonDocument.Parse(File.ReadAllText(target));
        Assert.Equal(["hv_monitor.json", "hv_monitor.json.snmp"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order());
    }
}
