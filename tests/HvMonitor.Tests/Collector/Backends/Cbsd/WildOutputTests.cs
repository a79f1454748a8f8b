using HvMonitor.Collector.Backends.Cbsd;
using HvMonitor.Collector.Facts;
using HvMonitor.Collector.Model;
using Xunit;

namespace HvMonitor.Tests.Collector.Backends.Cbsd;

/// <summary>Every real output pasted in public issues (samples/cbsd-wild; their sources and formats in docs/cbsd.md) read by its parser.</summary>
public class WildOutputTests
{
    private static string Wild(string name)
    {
        var lines = File.ReadAllLines(RepoPaths.Sample("cbsd-wild", name));
        return string.Join("\n", lines.SkipWhile(l => l.StartsWith("# ", StringComparison.Ordinal))) + "\n";
    }

    [Fact]
    public void EveryWildFileHasATest()
    {
        var tested = typeof(WildOutputTests).GetMethods().SelectMany(m => m.GetCustomAttributes(typeof(InlineDataAttribute), false))
            .Cast<InlineDataAttribute>().Select(a => (string)a.GetData(null!).First()[0]).ToHashSet();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Sample("cbsd-wild")).Select(f => Path.GetFileName(f)))
            Assert.Contains(file, tested);
    }

    [Theory]
    [InlineData("cbsd-bls_issue399_cbsd12.0.8.txt", 2, "centos0", 92382UL, "127.0.0.1:5900")]
    [InlineData("cbsd-bls_cbsd.io-docs_checkpoints.txt", 1, "freebsd1", 21923UL, "127.0.0.1:5900")]
    public void Bls(string file, int count, string first, ulong jid, string console)
    {
        var (rows, rejected) = BlsParser.Parse(Wild(file));
        Assert.Empty(rejected);
        Assert.Equal(count, rows.Count);
        Assert.Equal((first, jid, console), (rows[0].Name, rows[0].Jid, BlsParser.Console(rows[0].Vnc)));
        Assert.Equal(VmState.Running, rows[0].State);
    }

    [Theory]
    [InlineData("cbsd-bls_issue602_error-in-stdout_cbsd13.0.8.txt")]
    public void BlsErrorInsideTheTableIsRejectedNotAVm(string file)
    {
        var (rows, rejected) = BlsParser.Parse(Wild(file));
        Assert.Empty(rows);
        Assert.StartsWith("Unable to fetch vm data from:", Assert.Single(rejected));
    }

    [Theory]
    [InlineData("cbsd-bhyve-dsk-list_issue734_cbsd13.2.1_a.txt")]
    [InlineData("cbsd-bhyve-dsk-list_issue734_cbsd13.2.1_b.txt")]
    public void DiskList(string file)
    {
        var (rows, rejected) = DiskListParser.Parse(Wild(file));
        Assert.Empty(rejected);
        Assert.Equal(new DiskRow("ubuntu22", "dsk1.vhd", new DiskSize(64UL << 30, null)), Assert.Single(rows));
    }

    [Theory]
    [InlineData("cbsd-bhyve-nic-list_issue624_cbsd13.0.15_partial.txt")]
    public void NicList(string file)
    {
        var (rows, rejected) = NicListParser.Parse(Wild(file));
        Assert.Empty(rejected);
        Assert.Equal(new NicRow("vulpes", 0, "bridge2", "00:a0:98:2e:23:20"), Assert.Single(rows));
    }

    [Theory]
    [InlineData("cbsd-jsnapshot-list_issue722_cbsd13.1.20.txt", 3, 2630667469UL)]
    [InlineData("cbsd-jsnapshot-list_issue130_2017_old-USED-column.txt", 9, 1457521UL)]
    public void SnapshotList(string file, int count, ulong firstBytes)
    {
        var (rows, rejected) = SnapshotListParser.Parse(Wild(file));
        Assert.Empty(rejected);
        Assert.Equal(count, rows.Count);
        Assert.Equal(firstBytes, rows[0].ReferBytes);
    }

    [Theory]
    [InlineData("netstat-biI-bridge0_freebsd10.2_vm-bhyve-issue62.txt", "bridg", 13320749763UL)]
    [InlineData("netstat-biI-tap0_freebsd10.2_vm-bhyve-issue62.txt", "tap0", 475060UL)]
    [InlineData("netstat-ibdn_freebsd10.1_telegraf-issue438_partial.txt", "vtnet", 20818708946UL)]
    public void Netstat(string file, string name, ulong obytes)
    {
        var (links, rejected) = NetstatParser.Parse(Wild(file));
        Assert.Empty(rejected);
        Assert.Equal(obytes, links[name].Obytes);
    }

    [Fact]
    public void NetstatLoopbackRowWithoutAddressKeepsItsCounters()
    {
        var (links, _) = NetstatParser.Parse(Wild("netstat-ibdn_freebsd10.1_telegraf-issue438_partial.txt"));
        Assert.Equal(new LinkCounters(14056376, 0, 0, 1354356495, 14056388, 0, 1354352254, 0, 0), links["lo0"]);
        Assert.Equal(181815649UL, links["vtnet"].Ipkts);
    }

    [Theory]
    [InlineData("sysctl-kstat.zfs.pool.dataset_node_exporter-issue2693.txt")]
    public void Kstats(string file)
    {
        var io = KstatParser.Parse(Wild(file));
        // objset-0x40 has only its name (the rest was elided); objset-0x15 has counters but no name: not attributable.
        Assert.Equal(new DatasetIo(0, 0, 0, 0), Assert.Single(io, kv => kv.Key == "pool/home").Value);
        Assert.Single(io);
    }

    [Theory]
    [InlineData("zfs-list-p_freebsd14.3_openzfs-issue17938_partial.txt")]
    public void ZfsList(string file)
    {
        var (datasets, rejected) = ZfsListParser.Parse(Wild(file));
        Assert.Empty(rejected);
        Assert.Equal(new ZfsDataset("z/data/VMs", 3166535424, 2785411008, null), Assert.Single(datasets));
    }
}
