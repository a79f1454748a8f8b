using System.Text;
using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>
/// <c>--record</c> then <c>--replay</c> with the published binary against libvirt's built-in test driver (no
/// daemon, no lab lock): identical JSON, and the recording is plain text in the documented format.
/// </summary>
public sealed class RecordReplayTestDriverTests
{
    [Fact]
    public void TheTestHostRecordsAndReplaysToTheSameJson()
    {
        var dir = Directory.CreateTempSubdirectory("hvm-test-rec-").FullName;
        try
        {
            var recorded = HvMonitorBinary.Run("--uri", "test:///default", "--record", dir);
            Assert.True(recorded.ExitCode == 0, recorded.Stderr);
            // The replay needs no libvirt at all: point the library at nothing.
            var replayed = HvMonitorBinary.RunWithEnv(new Dictionary<string, string> { ["HV_MONITOR_LIBVIRT"] = "/nonexistent/libvirt.so" },
                "--replay", dir);
            Assert.True(replayed.ExitCode == 0, replayed.Stderr);
            Assert.Equal(recorded.StdoutBytes, replayed.StdoutBytes);

            var firstLines = Directory.GetFiles(dir).Select(f => File.ReadLines(f, Encoding.UTF8).First()).Order(StringComparer.Ordinal).ToList();
            Assert.Equal([
                "$ libvirt network-bridge default",
                "$ libvirt snapshot-count test",
                "$ virsh -r domstats --raw --state --balloon --interface --block --nowait",
                "$ virsh -r dumpxml test"], firstLines);

            var again = HvMonitorBinary.Run("--uri", "test:///default", "--record", dir);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("not empty", again.Stdout);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void AReplayMissingADomainsXmlNamesTheProbe()
    {
        var dir = Directory.CreateTempSubdirectory("hvm-test-rec-").FullName;
        try
        {
            Assert.Equal(0, HvMonitorBinary.Run("--uri", "test:///default", "--record", dir).ExitCode);
            foreach (var file in Directory.GetFiles(dir).Where(f => File.ReadLines(f).First().StartsWith("$ virsh -r dumpxml", StringComparison.Ordinal)))
                File.Delete(file);
            var r = HvMonitorBinary.Run("--replay", dir);
            Assert.Equal(1, r.ExitCode);
            var errorString = System.Text.Json.JsonDocument.Parse(r.Stdout).RootElement.GetProperty("errorString").GetString();
            Assert.StartsWith($"the recording in '{dir}' has no answer for '$ virsh -r dumpxml test'", errorString);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
