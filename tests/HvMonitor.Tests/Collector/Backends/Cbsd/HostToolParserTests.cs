using HvMonitor.Collector.Backends.Cbsd;
using Xunit;

namespace HvMonitor.Tests.Collector.Backends.Cbsd;

/// <summary>Table tests of the FreeBSD base-system parsers (ps, netstat, ifconfig, zfs, sysctl) with literal input.</summary>
public class HostToolParserTests
{
    private const string PsHeader = "  PID ELAPSED %MEM  COW MAJFLT  MINFLT NI  NIVCSW NSWAP    NVCSW INBLK OUBLK PRI     RSS   SYSTIME   USERTIME     VSZ COMMAND\n";

    [Theory]
    [InlineData("")]
    [InlineData(PsHeader)]
    public void PsWithoutProcessesHasNoRows(string text)
    {
        var (rows, rejected) = PsParser.Parse(text);
        Assert.Empty(rows);
        Assert.Empty(rejected);
    }

    [Fact]
    public void PsReadsUnitsTimesAndTheCommand()
    {
        var text = PsHeader +
                   "48190  412733  0.0   12      0     412  0       3     0       22     0     0  52    3096   0:00.01    0:00.00   14028 bhyve: young (bhyve)   \n" +
                   "48213  412730  1.6 1184    317 1051244 -5 5231187     0 92817265  1021     0 -22 18014398509481983 613:05.27 1452:48.90 4223540 /usr/sbin/bhyve -c 2 -m 4096M my vm\n";
        var (rows, rejected) = PsParser.Parse(text);
        Assert.Empty(rejected);
        var young = rows[48190];
        Assert.Equal((0.01, 0.0, 3096UL * 1024, 14028UL * 1024, 52L), (young.Stats.Systime, young.Stats.Usertime, young.Stats.Rss, young.Stats.Vsz, young.Stats.Pri));
        Assert.True(young.IsBhyveOf("young"));
        var old = rows[48213];
        Assert.Equal((36785.27, 87168.9, -5L, -22L), (old.Stats.Systime, old.Stats.Usertime, old.Stats.Nice, old.Stats.Pri));
        Assert.Equal(18014398509481983UL * 1024, old.Stats.Rss);
        Assert.True(old.IsBhyveOf("vm"));
        Assert.False(old.IsBhyveOf("my vm"));
    }

    [Theory]
    [InlineData("1 100 0.0 0 0 0 0 0 0 0 0 0 20 1024 0:00.10 0:00.20 2048 /sbin/init")]
    [InlineData("1 100 0.0 0 0 0 0 0 0 0 0 0 20 1024 0:00.10 0:00.20 2048 /usr/sbin/bhyvectl --vm=debian12")]
    [InlineData("1 100 0.0 0 0 0 0 0 0 0 0 0 20 1024 0:00.10 0:00.20 2048 bhyve: debian120 (bhyve)")]
    public void AProcessThatIsNotTheVmsBhyveIsNotTakenForIt(string line) =>
        Assert.False(PsParser.Parse(PsHeader + line).Rows[1].IsBhyveOf("debian12"));

    [Theory]
    [InlineData("48213  412730  1.6 1184")] // truncated
    [InlineData("48213  412730  1.6 1184    317 1051244  1 5231187     0 92817265  1021     0  52 1082304 613:05.27 1452:48.90")] // no vsz
    [InlineData("48213  412730  1.6 1184    317 1051244  1 5231187     0 92817265  1021     0  52 1082304 61:75.00 1:00.00 100 bhyve")] // 75 s
    [InlineData("48213  412730  1.6 1184    317 1051244  1 5231187     0 92817265  1021     0  52 18014398509481984 0:00.00 0:00.00 100 bhyve")] // rss*1024 > 2^64
    [InlineData("48213  412730  1.6 1184    317 1051244  1 5231187     0 92817265  1021     0  52 1 1:02:03.00 0:00.00 100 bhyve")] // hours do not exist
    public void PsRejectsBrokenRows(string line) => Assert.Single(PsParser.Parse(PsHeader + line).Rejected);

    [Fact]
    public void APsWithoutOneKeywordShiftsColumnsSoNothingIsRead()
    {
        // "cow: keyword not found" drops the COW column: reading by position would shift every figure.
        var text = "  PID ELAPSED %MEM MAJFLT MINFLT NI NIVCSW NSWAP NVCSW INBLK OUBLK PRI RSS SYSTIME USERTIME VSZ COMMAND\n" +
                   "48213 412730 1.6 317 1051244 1 5231187 0 92817265 1021 0 52 1082304 613:05.27 1452:48.90 4223540 bhyve: a (bhyve)\n";
        var (rows, rejected) = PsParser.Parse(text);
        Assert.Empty(rows);
        Assert.StartsWith("unexpected ps header", Assert.Single(rejected));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Name    Mtu Network       Address              Ipkts Ierrs Idrop     Ibytes    Opkts Oerrs     Obytes  Coll  Drop\n")]
    public void NetstatWithoutInterfaces(string text) => Assert.Empty(NetstatParser.Parse(text).Links);

    [Fact]
    public void NetstatTakesLinkRowsOnlyAndReadsFromTheRight()
    {
        var text = "Name    Mtu Network                  Address                                    Ipkts Ierrs Idrop     Ibytes    Opkts Oerrs     Obytes  Coll  Drop\n" +
                   "tap3   1500 <Link#9>                 58:9c:fc:10:ff:e2                        1839420     0     0 2417706532  3019811     0  389147722     0    12 \n" +
                   "tap3      - fe80::%tap3/64           fe80::5a9c:fcff:fe10:ffe2%tap3                 9     -     -        999        2     -        112     -     -\n" +
                   "tap4*  1500 <Link#10>                58:9c:fc:10:ff:e3 18446744073709551615 0 0 18446744073709551615 9007199254740993 0 1 2 3\n" +
                   "lo0   16384 <Link#2>                                    14056376     0     0 1354356495 14056388     0 1354352254     0     0\n" +
                   "tap5   1500 <Link#11>                58:9c:fc:10:ff:e4  1 2 3\n" + // truncated
                   "tap6   1500 <Link#12>                58:9c:fc:10:ff:e5  - 0 0 1 1 0 1 0 0\n"; // a dash where a counter must be
        var (links, rejected) = NetstatParser.Parse(text);
        Assert.Equal(new LinkCounters(1839420, 0, 0, 2417706532, 3019811, 0, 389147722, 0, 12), links["tap3"]);
        Assert.Equal(new LinkCounters(ulong.MaxValue, 0, 0, ulong.MaxValue, 9007199254740993, 0, 1, 2, 3), links["tap4"]);
        Assert.Equal(1354356495UL, links["lo0"].Ibytes);
        Assert.Equal(2, rejected.Count);
        Assert.False(links.ContainsKey("tap5") || links.ContainsKey("tap6"));
    }

    [Fact]
    public void IfconfigMapsWholeDescriptionsToInterfaces()
    {
        var text = "tap3: flags=8943<UP,BROADCAST,RUNNING,PROMISC,SIMPLEX,MULTICAST> metric 0 mtu 1500\n" +
                   "\tdescription: debian12-nic0\n\tether 58:9c:fc:10:ff:e2\n" +
                   "bridge0: flags=8843<UP> metric 0 mtu 1500\n\tdescription: uplink bridge  \n" +
                   "tap4: flags=8943<UP> metric 0 mtu 1500\n\tether 58:9c:fc:10:ff:e3\n" +
                   "tap5: flags=8943<UP> metric 0 mtu 1500\n\tdescription: debian12-nic0\n";
        var map = IfconfigParser.InterfacesByDescription(text);
        Assert.Equal(new Dictionary<string, string> { ["debian12-nic0"] = "tap3", ["uplink bridge"] = "bridge0" }, map);
        Assert.Empty(IfconfigParser.InterfacesByDescription(""));
    }

    [Fact]
    public void ZfsListReadsTabsAndRejectsBrokenLines()
    {
        var text = "zroot/cbsd/vm1/dsk1.vhd\t9120096256\t21474836480\t9120022528\n" +
                   "zroot/cbsd/vm 2/dsk1.vhd\t18446744073709551615\t-\t0\n" +
                   "zroot/cbsd/vm3/dsk1.vhd\t1\t2\n" +
                   "zroot/cbsd/vm4/dsk1.vhd\t18446744073709551616\t2\t3\n";
        var (datasets, rejected) = ZfsListParser.Parse(text);
        Assert.Equal([
            new ZfsDataset("zroot/cbsd/vm1/dsk1.vhd", 9120096256, 9120022528, 21474836480),
            new ZfsDataset("zroot/cbsd/vm 2/dsk1.vhd", ulong.MaxValue, 0, null)], datasets);
        Assert.Equal(2, rejected.Count);
        Assert.Empty(ZfsListParser.Parse("").Datasets);
    }

    [Fact]
    public void KstatsGroupByNodeWhateverTheOrderAndKeyByExactName()
    {
        var text = "kstat.zfs.tank.v2.dataset.objset-0x2A1.dataset_name: tank.v2/cbsd/vm1/dsk1.vhd\n" +
                   "kstat.zfs.zroot.dataset.objset-0x36.writes: 18446744073709551615\n" +
                   "kstat.zfs.tank.v2.dataset.objset-0x2A1.nread: 9007199254740993\n" +
                   "kstat.zfs.zroot.dataset.objset-0x36.dataset_name: zroot/x: with colon\n" +
                   "kstat.zfs.zroot.dataset.objset-0x36.zil_commit_count: 5\n" +
                   "kstat.zfs.zroot.dataset.objset-0x37.reads: 1\n" +
                   "kstat.zfs.zroot.misc.arcstats.hits: 5\n...\nnot a kstat\n";
        var io = KstatParser.Parse(text);
        Assert.Equal(new DatasetIo(0, 9007199254740993, 0, 0), io["tank.v2/cbsd/vm1/dsk1.vhd"]);
        Assert.Equal(new DatasetIo(0, 0, ulong.MaxValue, 0), io["zroot/x: with colon"]);
        Assert.Equal(2, io.Count);
    }

    [Fact]
    public void ZvolsMatchOnWholeNameComponents()
    {
        ZfsDataset V(string name) => new(name, 1, 1, 1);
        var volumes = new[] { V("zroot/cbsd/vm10/dsk1.vhd"), V("zroot/cbsd/vm1/dsk1.vhd.bak"), V("zroot/cbsd/xvm1/dsk1.vhd"), V("zroot/cbsd/vm1/dsk1.vhd") };
        var match = CbsdZvols.Match([Disk("vm1")], volumes);
        Assert.Equal("zroot/cbsd/vm1/dsk1.vhd", match.Zvols[("vm1", "dsk1.vhd")].Name);
        Assert.Empty(match.Undecided);
    }

    private static DiskRow Disk(string vm, string path = "dsk1.vhd") => new(vm, path, new DiskSize(1, null));

    [Fact]
    public void AReplicatedZvolIsTheOneUnderThePrefixTheUnambiguousDisksShow()
    {
        ZfsDataset V(string name) => new(name, 1, 1, 1);
        // vm10 has one zvol only: zroot/cbsd is where this CBSD keeps its VMs, so vm1's live disk is zroot's.
        var volumes = new[] { V("backup/zroot/cbsd/vm1/dsk1.vhd"), V("zroot/cbsd/vm1/dsk1.vhd"), V("zroot/cbsd/vm10/dsk1.vhd") };
        var match = CbsdZvols.Match([Disk("vm1"), Disk("vm10")], volumes);
        Assert.Equal("zroot/cbsd/vm1/dsk1.vhd", match.Zvols[("vm1", "dsk1.vhd")].Name);
        Assert.Empty(match.Undecided);
    }

    [Fact]
    public void CbsdsDataDatasetDecidesWhatTheOtherDisksCannot()
    {
        ZfsDataset V(string name) => new(name, 1, 1, 1);
        var volumes = new[] { V("backup/vm1/dsk1.vhd"), V("tank/cbsd/vm1/dsk1.vhd") };
        var alone = CbsdZvols.Match([Disk("vm1")], volumes);
        Assert.Empty(alone.Zvols);
        Assert.Equal(["backup/vm1/dsk1.vhd", "tank/cbsd/vm1/dsk1.vhd"], Assert.Single(alone.Undecided).Candidates.Select(c => c.Name));
        Assert.Equal("tank/cbsd/vm1/dsk1.vhd", CbsdZvols.Match([Disk("vm1")], volumes, "tank/cbsd").Zvols[("vm1", "dsk1.vhd")].Name);
        // CBSD's own answer outranks what the other disks show; a prefix naming none of them decides nothing.
        var shown = new[] { V("backup/vm1/dsk1.vhd"), V("tank/cbsd/vm1/dsk1.vhd"), V("backup/vm2/dsk1.vhd") };
        Assert.Equal("tank/cbsd/vm1/dsk1.vhd", CbsdZvols.Match([Disk("vm1"), Disk("vm2")], shown, "tank/cbsd").Zvols[("vm1", "dsk1.vhd")].Name);
        Assert.Single(CbsdZvols.Match([Disk("vm1")], volumes, "zroot/other").Undecided);
    }

    [Theory]
    [InlineData("/usr/jails\n", "/usr/jails")]
    [InlineData("/usr/cbsd/\n", "/usr/cbsd")]
    [InlineData("", null)]
    [InlineData("sysrc: unknown variable 'cbsd_workdir'\n", null)]
    [InlineData("/a\n/b\n", null)]
    public void TheWorkdirIsOneAbsolutePath(string text, string? workdir) =>
        Assert.Equal(workdir, CbsdZvols.ParseWorkdir(text));

    [Theory]
    [InlineData("zroot/cbsd\n", "zroot/cbsd")]
    [InlineData("", null)]
    [InlineData("cannot open '/usr/jails/jails-data': not a ZFS filesystem\n", null)]
    public void TheDataDatasetIsOneName(string text, string? dataset) =>
        Assert.Equal(dataset, CbsdZvols.ParseDatasetName(text));
}
