using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>libvirt's built-in test driver: no daemon, so this is what a fresh machine can always run.</summary>
public sealed class TestDriverTests
{
    private const string Uri = "test:///default";

    [Fact]
    public void ReportsTheTestHostLikeVirshDoes()
    {
        var run = HvMonitorBinary.Run("--uri", Uri);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        var root = JsonDocument.Parse(run.StdoutBytes).RootElement;
        Assert.Equal(0, root.GetProperty("error").GetInt32());
        var vms = root.GetProperty("data").GetProperty("VMs");
        var names = GroundTruth.DomainNames(Uri);
        Assert.Equal(names.Order(), vms.EnumerateObject().Select(p => p.Name).Order());
        foreach (var name in names)
        {
            var vm = vms.GetProperty(name);
            var info = GroundTruth.Virsh(Uri, "dominfo", name);
            Assert.Equal(ulong.Parse(Regex.Match(info, @"Max memory:\s+(\d+) KiB").Groups[1].Value, CultureInfo.InvariantCulture) * 1024,
                vm.GetProperty("mem_alloc").GetUInt64());
            Assert.Equal(ulong.Parse(Regex.Match(info, @"CPU\(s\):\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture),
                vm.GetProperty("cpus").GetUInt64());
            var state = GroundTruth.DomStats(Uri)[name]["state.state"];
            Assert.Equal(int.Parse(state, CultureInfo.InvariantCulture), vm.GetProperty("status_int").GetInt32());
            // Interfaces: the XML's, in order, with the network's bridge as parent.
            var rows = GroundTruth.DomIfList(Uri, name);
            Assert.Equal(rows.Count, vm.GetProperty("ifs").EnumerateObject().Count());
            for (int i = 0; i < rows.Count; i++)
            {
                var nic = vm.GetProperty("ifs").GetProperty("nic" + i);
                Assert.Equal(rows[i][^1], nic.GetProperty("mac").GetString());
                if (rows[i][1] == "network")
                {
                    var bridge = Regex.Match(GroundTruth.Virsh(Uri, "net-info", rows[i][2]), @"Bridge:\s+(\S+)").Groups[1].Value;
                    Assert.Equal(bridge, nic.GetProperty("parent").GetString());
                }
            }
            var disks = GroundTruth.Virsh(Uri, "domblklist", name).Split('\n').Skip(2)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length >= 2).Select(c => c[0]);
            Assert.Equal(disks.Order(), vm.GetProperty("disks").EnumerateObject().Select(d => d.Name).Order());
        }
        Assert.Equal((ulong)names.Count, root.GetProperty("data").GetProperty("totals").GetProperty("on").GetUInt64()
                                          + root.GetProperty("data").GetProperty("totals").GetProperty("off_hard").GetUInt64()
                                          + root.GetProperty("data").GetProperty("totals").GetProperty("paused").GetUInt64());
    }

    [Fact]
    public void PrettyOutputIsTheSameDocument()
    {
        var compact = JsonDocument.Parse(HvMonitorBinary.Run("--uri", Uri).StdoutBytes).RootElement;
        var prettyRun = HvMonitorBinary.Run("--uri", Uri, "--pretty");
        Assert.Contains("\n  \"version\": 1,", prettyRun.Stdout);
        Assert.Equal(JsonSerializer.Serialize(compact), JsonSerializer.Serialize(JsonDocument.Parse(prettyRun.StdoutBytes).RootElement));
    }

    [Fact]
    public void VersionAndHelp()
    {
        var v = HvMonitorBinary.Run("--version");
        Assert.Equal(0, v.ExitCode);
        Assert.Matches(@"^hv-monitor \d+\.\d+\.\d+\n$", v.Stdout);
        var h = HvMonitorBinary.Run("-h");
        Assert.Equal(0, h.ExitCode);
        Assert.Contains("--uri", h.Stdout);
        Assert.Contains("extend hv-monitor", h.Stdout);
    }
}
