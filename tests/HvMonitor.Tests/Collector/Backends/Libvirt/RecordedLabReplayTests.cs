using System.Text;
using System.Text.Json;
using HvMonitor.Collector;
using Xunit;

namespace HvMonitor.Tests.Collector.Backends.Libvirt;

/// <summary>
/// samples/libvirt/recorded-lab, a real lab run written by --record, replayed through the whole program: its
/// golden.json byte for byte (HV_MONITOR_REWRITE_GOLDEN=1 rewrites it on purpose), with no libvirt involved.
/// </summary>
public class RecordedLabReplayTests
{
    private static string Replay(out int exit)
    {
        var stdout = new MemoryStream();
        exit = CollectorProgram.Run(["-b", "Libvirt", "--replay", RepoPaths.Sample("libvirt", "recorded-lab"), "--pretty"], stdout, new StringWriter());
        return Encoding.UTF8.GetString(stdout.ToArray());
    }

    [Fact]
    public void ReplayPrintsTheGoldenJson()
    {
        var json = Replay(out int exit);
        Assert.Equal(CollectorProgram.ExitOk, exit);
        var golden = RepoPaths.Sample("libvirt", "recorded-lab", "golden.json");
        Golden.AssertMatches(golden, json);
    }

    [Fact]
    public void TheRecordingHoldsTheLabsAwkwardNamesAndRunningGuests()
    {
        var vms = JsonDocument.Parse(Replay(out _)).RootElement.GetProperty("data").GetProperty("VMs");
        var names = vms.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains(names, n => n.Contains(' '));
        Assert.Contains(names, n => n.Any(c => c > 127));
        Assert.Contains(names, n => n.Contains('"') && n.Contains('\\'));
        Assert.Contains(vms.EnumerateObject(), vm => vm.Value.GetProperty("etimes").GetUInt64() > 0 && vm.Value.GetProperty("rss").GetUInt64() > 0);
    }
}
