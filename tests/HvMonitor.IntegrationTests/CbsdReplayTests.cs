using System.Text.Json;
using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>
/// The published binary replays every recorded CBSD host in samples/cbsd to its golden JSON (no lab needed), and
/// a replay that lacks a probe fails with an envelope naming it.
/// </summary>
public sealed class CbsdReplayTests
{
    public static TheoryData<string> Hosts() =>
        new(Directory.EnumerateDirectories(Path.Combine(RepoPaths.Root, "samples", "cbsd")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Hosts))]
    public void TheBinaryPrintsTheGoldenJson(string host)
    {
        var dir = Path.Combine(RepoPaths.Root, "samples", "cbsd", host);
        var r = HvMonitorBinary.Run("-b", "CBSD", "--replay", dir, "--pretty");
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "golden.json")), r.Stdout);
        // A sample whose golden carries warnings is usable but incomplete (3); one without is complete (0).
        bool warned = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("errorString").GetString() is { Length: > 0 };
        Assert.Equal(warned ? 3 : 0, r.ExitCode);
    }

    [Fact]
    public void AReplayThatLacksAProbeIsAClearError()
    {
        var dir = Directory.CreateTempSubdirectory("hvm-cbsd-partial-").FullName;
        try
        {
            var source = Path.Combine(RepoPaths.Root, "samples", "cbsd", "freebsd13-colour");
            File.Copy(Path.Combine(source, "cbsd-bls.txt"), Path.Combine(dir, "cbsd-bls.txt"));
            var r = HvMonitorBinary.Run("-b", "CBSD", "--replay", dir);
            Assert.Equal(1, r.ExitCode);
            var e = JsonDocument.Parse(r.Stdout).RootElement;
            Assert.NotEqual(0, e.GetProperty("error").GetInt32());
            Assert.Contains("has no answer for '$ cbsd bhyve-dsk-list header=0", e.GetProperty("errorString").GetString());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
