using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HvMonitor.Collector.Backends.Libvirt;
using HvMonitor.Collector.Facts;
using HvMonitor.Collector.Model;
using HvMonitor.Collector.Output;
using HvMonitor.Collector.Procfs;
using Xunit;

namespace HvMonitor.Tests.Collector.Backends.Libvirt;

/// <summary>
/// The recorded lab host (samples/libvirt) replayed through the parsers, the facts builder and the
/// merge: the same path the live backend takes after its I/O. Compared with a golden report
/// (HV_MONITOR_REWRITE_GOLDEN=1 rewrites it on purpose) and, independently, with the raw sample text.
/// </summary>
public class RecordedHostTests
{
    private const string GoldenPath = "libvirt/golden-report.json";

    private static readonly Dictionary<string, string> XmlSamples = new()
    {
        ["hvm-alpha"] = "libvirt/dumpxml-hvm-alpha.xml",
        ["hvm lab two"] = "libvirt/dumpxml-hvm-lab-two.xml",
        ["hvm-off-1"] = "libvirt/dumpxml-hvm-off-1.xml",
        ["hvm-spice"] = "libvirt/dumpxml-hvm-spice.xml",
    };

    private static readonly Dictionary<string, string> ProcSamples = new()
    {
        ["hvm-alpha"] = "hvm-alpha",
        ["hvm lab two"] = "hvm-lab-two",
    };

    private static HvData ReplayRecordedHost()
    {
        var system = new SystemInfo(
            SystemInfo.ParseUptime(SampleFile.Read("libvirt/proc-uptime.txt")),
            SystemInfo.ParseMemTotalKiB(SampleFile.Read("libvirt/proc-meminfo-head.txt")),
            long.Parse(SampleFile.Read("libvirt/getconf-clk-tck.txt").Trim(), CultureInfo.InvariantCulture));
        var snapshots = SampleFile.Read("libvirt/snapshot-list-hvm-alpha.txt").Split('\n').Skip(2).Count(l => l.Trim().Length > 0);

        var vms = DomstatsRawParser.Parse(SampleFile.Read("libvirt/domstats-raw.txt")).Select(stats =>
        {
            var config = XmlSamples.TryGetValue(stats.Name, out var xml) ? DomainXmlParser.Parse(SampleFile.Read(xml)) : null;
            ProcessStats? process = null;
            if (ProcSamples.TryGetValue(stats.Name, out var p))
            {
                process = PsCalculator.Compute(
                    ProcStatParser.Parse(SampleFile.Read($"libvirt/proc-stat-{p}.txt")),
                    ProcStatusParser.Parse(SampleFile.Read($"libvirt/proc-status-{p}.txt")), system);
            }
            return LibvirtFactsBuilder.Build(stats, config, stats.Name == "hvm-alpha" ? (ulong)snapshots : 0, process, _ => null);
        });
        return HvDataBuilder.Build(LibvirtBackend.HvName, vms);
    }

    [Fact]
    public void MatchesTheGoldenReport()
    {
        var json = Encoding.UTF8.GetString(LibreNmsSerializer.ToUtf8Json(new Envelope { Data = ReplayRecordedHost() }, pretty: true)) + "\n";
        var golden = RepoPaths.Sample("libvirt", "golden-report.json");
        Golden.AssertMatches(golden, json);
    }

    [Fact]
    public void EveryRecordedDomainIsThereWithItsState()
    {
        var raw = SampleFile.Read("libvirt/domstats-raw.txt");
        var data = ReplayRecordedHost();
        var states = Regex.Matches(raw, "Domain: '(.*)'\\n  state.state=(\\d+)").ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
        Assert.Equal(states.Keys.Order(StringComparer.Ordinal), data.VMs.Keys);
        foreach (var (name, state) in states)
            Assert.Equal(state, data.VMs[name].StatusInt);
    }

    [Fact]
    public void AlphaIsAssembledFromEverySource()
    {
        var raw = SampleFile.Read("libvirt/domstats-raw.txt");
        var block = raw[raw.IndexOf("Domain: 'hvm-alpha'", StringComparison.Ordinal)..];
        block = block[..(block.IndexOf("\nDomain:", 1, StringComparison.Ordinal) is var end and > 0 ? end : block.Length)];
        ulong Raw(string key) => ulong.Parse(Regex.Match(block, "  " + Regex.Escape(key) + "=(\\d+)").Groups[1].Value);
        var vm = ReplayRecordedHost().VMs["hvm-alpha"];

        Assert.Equal(Raw("balloon.maximum") * 1024, vm.MemAlloc);
        Assert.Equal(Raw("balloon.rss") * 1024, vm.Rss);
        Assert.Equal(1UL, vm.Snaps);
        Assert.Equal(("vnc", "127.0.0.1:5900"), (vm.ConsoleType, vm.Console));
        Assert.Equal("http://debian.org/debian/12", vm.OsType);
        // vda and vdb count; the hdc .iso does not.
        Assert.Equal(Raw("block.0.capacity") + Raw("block.1.capacity"), vm.DiskAlloc);
        Assert.EndsWith(".iso", Regex.Match(block, "block.2.path=(.*)").Groups[1].Value);
        Assert.Equal(Raw("block.0.rd.bytes") + Raw("block.1.rd.bytes") + Raw("block.2.rd.bytes"), vm.Rbytes);
        Assert.Equal(Raw("block.2.rd.times") / 1_000_000.0, vm.Disks["hdc"].Rtime, 9);
        Assert.Equal(["nic0", "nic1"], vm.Ifs.Keys);
        Assert.Equal(Regex.Match(block, "net.1.name=(.*)").Groups[1].Value, vm.Ifs["nic1"].If);
        Assert.Equal("hvmbr0", vm.Ifs["nic1"].Parent);
        Assert.Equal(Raw("net.0.rx.bytes") + Raw("net.1.rx.bytes"), vm.Ibytes);
        Assert.True(vm.Etimes > 0 && vm.Pri == 19);
    }

    [Fact]
    public void AUserModeNicWithoutCountersIsStillListed()
    {
        var vm = ReplayRecordedHost().VMs["hvm-spice"];
        Assert.Equal("spice", vm.ConsoleType);
        var nic = vm.Ifs["nic0"];
        Assert.Equal(("", ""), (nic.If, nic.Parent));
        Assert.Matches("^52:54:00:", nic.Mac);
    }

    [Fact]
    public void ADefinedOnlyDomainListsItsConfiguredDevicesWithZeroCounters()
    {
        var vm = ReplayRecordedHost().VMs["hvm-off-1"];
        Assert.Equal((int)VmState.Shutoff, vm.StatusInt);
        Assert.Single(vm.Ifs);
        Assert.Equal("hvmbr0", vm.Ifs["nic0"].Parent);
        Assert.Equal(0UL, vm.Ifs["nic0"].Ibytes);
        Assert.NotEmpty(vm.Disks);
        Assert.Equal(0.0, vm.Pcpu);
    }

    [Fact]
    public void TheTestDriverHostReportsItsConfiguredDevices()
    {
        var stats = DomstatsRawParser.Parse(SampleFile.Read("libvirt/test-domstats-raw.txt")).Single();
        var config = DomainXmlParser.Parse(SampleFile.Read("libvirt/test-dumpxml-test.xml"));
        var vm = HvDataBuilder.BuildVm(LibvirtFactsBuilder.Build(stats, config, 0, null, net => net == "default" ? "virbr0" : null));
        Assert.Equal(config.MemoryBytes, vm.MemAlloc);
        Assert.Equal(config.Vcpus, vm.Cpus);
        Assert.Equal("virbr0", vm.Ifs["nic0"].Parent);
        Assert.Equal(config.Disks.Select(d => d.Target), vm.Disks.Keys);
    }
}
