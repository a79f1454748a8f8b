using HvMonitor.IntegrationTests.Snmp;
using Xunit;
using Xunit.Abstractions;

namespace HvMonitor.IntegrationTests.Packaging;

/// <summary>
/// `dpkg -P hv-monitor` after real use (both setups ran, so the cache, lock and log files exist) leaves nothing
/// behind: not one path the package owned, not the directories postinst made, not what hv-monitor wrote.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PurgeTests(ITestOutputHelper output) : IDisposable
{
    public void Dispose() => DebianPackage.Purge();

    [Fact]
    public void PurgeAfterUseLeavesNothingBehind()
    {
        DebianPackage.Purge();
        DebianPackage.Install();
        var owned = DebianPackage.Files();
        // Use it as both setups do: the cron job's files, and serve mode as snmpd's user.
        var cron = Shell.Run("/usr/bin/hv-monitor", "-w", "-q");
        Assert.True(cron.ExitCode is 0 or 3, cron.Stderr);
        var serve = SnmpdUser.Run("/usr/bin/hv-monitor", "--cache-ttl", "240", "-c", "-o", "/var/cache/hv-monitor/hv_monitor.json",
            "--log", "/var/log/hv-monitor/hv-monitor.log");
        Assert.True(serve.ExitCode is 0 or 3, serve.Stderr);
        var written = new[]
        {
            "/var/cache/hv_monitor.json", "/var/cache/hv_monitor.json.snmp",
            "/var/cache/hv-monitor/hv_monitor.json", "/var/cache/hv-monitor/hv_monitor.json.snmp", "/var/cache/hv-monitor/hv_monitor.json.lock",
            "/var/log/hv-monitor/hv-monitor.log",
        };
        Assert.All(written, f => Assert.True(File.Exists(f), $"{f} was not written"));

        var purge = Shell.Run("dpkg", ["-P", DebianPackage.Name], new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        output.WriteLine(purge.Stdout + purge.Stderr);
        Assert.Equal(0, purge.ExitCode);
        Assert.Equal("", DebianPackage.Status());

        // Directories such as /usr/bin stay (other packages own them); everything else the package or hv-monitor made is gone.
        var left = owned.Concat(written).Concat(["/var/cache/hv-monitor", "/var/log/hv-monitor"])
            .Where(p => File.Exists(p) || Directory.Exists(p) && !SharedDirectory(p))
            .ToList();
        Assert.Empty(left);
    }

    /// <summary>A directory another package also uses (dpkg keeps it): /usr/share/doc/hv-monitor is not one.</summary>
    private static bool SharedDirectory(string path) =>
        Shell.Run("dpkg-query", "-S", path).ExitCode == 0;
}
