using HvMonitor.Collector.Backends;
using HvMonitor.Collector.Backends.Cbsd;
using HvMonitor.Collector.Model;
using Xunit;

namespace HvMonitor.Tests.Collector.Backends.Cbsd;

/// <summary>
/// One test per defect of the Perl CBSD backend (the README's "FreeBSD hosts" names them; the formats are in docs/cbsd.md): each would fail with the
/// Perl behaviour, on the recorded FreeBSD 13 host (samples/cbsd/freebsd13-colour) or a variant of it.
/// </summary>
public class PerlDefectTests
{
    private const ulong MiB = 1024 * 1024;

    [Fact]
    public void D01_ANonZeroExitOfCbsdItselfIsSeenEvenWithRowsOnStdout()
    {
        using var host = new CbsdHost();
        host.Answer(CbsdCommands.Bls, host.Stdout(CbsdCommands.Bls), exit: 1, stderr: "Error: sqlite busy");
        var e = Assert.Throws<BackendException>(() => host.Collect());
        Assert.Contains("exited with status 1: Error: sqlite busy", e.Message);
    }

    [Fact]
    public void D02_AnErrorRowIsAWarningNeverAVmNamedUnable()
    {
        using var host = new CbsdHost("freebsd14-nocolor");
        var (data, warnings) = host.Collect();
        Assert.DoesNotContain("Unable", data.VMs.Keys);
        Assert.Contains(warnings, w => w.Contains("Unable to fetch vm data") && w.Contains("VMs listed after it may be missing"));
    }

    [Fact]
    public void D03_MaintenanceSlaveUnknownUnregisterAreMappedAndAMaintenanceVmStillHasItsProcess()
    {
        using var v13 = new CbsdHost();
        using var v14 = new CbsdHost("freebsd14-nocolor");
        var a = v13.Collect().Data.VMs;
        var b = v14.Collect().Data.VMs;
        Assert.Equal((9, 98211UL), (a["vm10"].StatusInt, a["vm10"].Etimes));
        // Off is 8; a stopped VM keeps its last VNC port.
        Assert.Equal((8, "127.0.0.1:5901"), (a["freebsd14.1"].StatusInt, a["freebsd14.1"].Console));
        // test1's comment "backup in progress" spans three cells: the console is still the last one.
        Assert.Equal((9, ""), (a["test1"].StatusInt, a["test1"].Console));
        Assert.Equal(10, a["oldvm"].StatusInt);
        Assert.Equal((10, 10), (b["slave0"].StatusInt, b["unk1"].StatusInt));
    }

    [Fact]
    public void D04_TheJidPlaceholder1IsNeverTakenAsAPid()
    {
        using var host = new CbsdHost();
        var (data, warnings) = host.Collect();
        Assert.DoesNotContain(host.Asked, c => c.StartsWith("ps ", StringComparison.Ordinal) && c.Split(' ')[^1].Split(',').Contains("1"));
        Assert.Equal(0UL, data.VMs["win2k22"].Etimes);
        Assert.Contains(warnings, w => w.Contains("'win2k22'") && w.Contains("jid 1"));
    }

    [Fact]
    public void D05_MemAllocIsMibTimes1048576()
    {
        using var host = new CbsdHost();
        Assert.Equal(4096 * MiB, host.Collect().Data.VMs["debian12"].MemAlloc);
    }

    [Fact]
    public void D06_PsSelectsThePidsExplicitly()
    {
        using var host = new CbsdHost();
        host.Collect();
        Assert.Contains("ps -ww -S -o " + PsParser.Keywords + " -p 48213,51877", host.Asked);
    }

    [Fact]
    public void D07_VszIsVszKibNotRss()
    {
        using var host = new CbsdHost();
        var vm = host.Collect().Data.VMs["debian12"];
        Assert.Equal((4223540UL * 1024, 1082304UL * 1024), (vm.Vsz, vm.Rss));
    }

    [Fact]
    public void D08_OnlyTheLinkRowIsCountedNotTheIpv6AddressRow()
    {
        using var host = new CbsdHost();
        var nic0 = host.Collect().Data.VMs["debian12"].Ifs["nic0"];
        Assert.Equal(("tap3", 1839420UL, 2417706532UL, 3019811UL, 389147722UL), (nic0.If, nic0.Ipkts, nic0.Ibytes, nic0.Opkts, nic0.Obytes));
    }

    [Fact]
    public void D09_KstatWritesAreWritesAndDatasetNamesMatchExactly()
    {
        using var host = new CbsdHost();
        var disk = host.Collect().Data.VMs["debian12"].Disks["dsk1.vhd"];
        // dsk1.vhd.old (999 of everything) must not leak in; writes must not be added to reads.
        Assert.Equal((2210348UL, 58212429824UL, 9981201UL, 127664463872UL), (disk.Rreqs, disk.Rbytes, disk.Wreqs, disk.Wbytes));
    }

    [Fact]
    public void D10_NamesWithZeroAndDotFindTheirZvols()
    {
        using var v13 = new CbsdHost();
        using var v14 = new CbsdHost("freebsd14-nocolor");
        Assert.Equal(10737418240UL, v13.Collect().Data.VMs["freebsd14.1"].Disks["dsk1.vhd"].Alloc);
        var ubuntu20 = v14.Collect().Data.VMs["ubuntu20"];
        Assert.Equal((536870912UL, 123699200UL, 31UL), (ubuntu20.Disks["dsk10.vhd"].Alloc, ubuntu20.Disks["dsk10.vhd"].InUse, ubuntu20.Disks["dsk10.vhd"].Rreqs));
    }

    [Fact]
    public void D11_RealSlashAllocKeepsAllocAsTheSize()
    {
        using var host = new CbsdHost();
        var disk = host.Collect().Data.VMs["vm10"].Disks["dsk1.vhd"];
        Assert.Equal((20UL << 30, (ulong)Math.Round(1.4 * (1 << 30))), (disk.Alloc, disk.InUse));
    }

    [Fact]
    public void D12_SnapshotSizesAre1024BasedAndBytesSuffixesCount()
    {
        using var v13 = new CbsdHost();
        using var v14 = new CbsdHost("freebsd14-nocolor");
        Assert.Equal(773UL * 1024 + 1457521UL, v13.Collect().Data.VMs["debian12"].SnapsSize);
        var ubuntu20 = v14.Collect().Data.VMs["ubuntu20"];
        Assert.Equal((3UL, 5025111736UL + 512), (ubuntu20.Snaps, ubuntu20.SnapsSize));
    }

    [Fact]
    public void D13_SnapshotsAreListedHostWideNotOnlyDsk1OfOneVm()
    {
        using var host = new CbsdHost();
        var listed = host.Stdout(CbsdCommands.SnapshotList).Replace("debian12  20240301120000", "debian12  on_dsk2_too  ");
        host.Answer(CbsdCommands.SnapshotList, listed + "debian12  dsk2-snap  2024-06-01__00:00  1M\n");
        Assert.DoesNotContain(CbsdCommands.SnapshotList, a => a.StartsWith("jname=", StringComparison.Ordinal));
        Assert.Equal(3UL, host.Collect().Data.VMs["debian12"].Snaps);
    }

    [Fact]
    public void D14_ErrorLinesAreNotCountedAsSnapshots()
    {
        using var host = new CbsdHost();
        host.Answer(CbsdCommands.SnapshotList, "bhyve  zfs_snapshot_create:  unable  to  find  zvol  for  /usr/jails/jails-data/debian12-data/dsk1.vhd\njsnapshot:  ufs  not  implemented\n");
        var (data, warnings) = host.Collect();
        Assert.Equal(0UL, data.Totals.Snaps);
        Assert.Equal(2, warnings.Count(w => w.Contains("not a snapshot row")));
    }

    [Fact]
    public void D15_OneIfconfigForAllAndDescriptionsAreNotPatterns()
    {
        using var host = new CbsdHost();
        host.Answer(CbsdCommands.Bls, host.Stdout(CbsdCommands.Bls).Replace("debian12", "deb.an12"));
        host.Answer(CbsdCommands.NicList, host.Stdout(CbsdCommands.NicList).Replace("debian12", "deb.an12"));
        var (data, _) = host.Collect();
        Assert.Single(host.Asked, "ifconfig");
        // "deb.an12-nic0" as a regex would match tap3's "debian12-nic0".
        Assert.Equal(("", 0UL), (data.VMs["deb.an12"].Ifs["nic0"].If, data.VMs["deb.an12"].Ifs["nic0"].Ibytes));
    }
}
