using HvMonitor.Collector.Backends;
using HvMonitor.Collector.Backends.Cbsd;
using HvMonitor.Collector.Model;
using HvMonitor.Shared.Commands;
using Xunit;

namespace HvMonitor.Tests.Collector.Backends.Cbsd;

/// <summary>Failures stay local: a failing, missing or hanging optional command costs only its own figures.</summary>
public class CbsdFailureTests
{
    private static readonly string[] PsDebianVm10 = CbsdCommands.Ps([48213, 51877]);

    [Fact]
    public void AFailingDiskListLeavesDisksOutAndKeepsEveryVm()
    {
        using var host = new CbsdHost();
        host.Answer(CbsdCommands.DiskList, "", exit: 1, stderr: "sqlite3: database is locked");
        var (data, warnings) = host.Collect();
        Assert.Equal(6, data.VMs.Count);
        Assert.All(data.VMs.Values, vm => Assert.Empty(vm.Disks));
        Assert.Contains(warnings, w => w.Contains("bhyve-dsk-list") && w.Contains("status 1: sqlite3: database is locked") && w.EndsWith("disks are left out"));
        Assert.DoesNotContain(host.Asked, a => a.StartsWith("zfs", StringComparison.Ordinal));
        Assert.Equal(1839420UL, data.VMs["debian12"].Ifs["nic0"].Ipkts);
    }

    [Fact]
    public void AHangingNetstatCostsOnlyTheCounters()
    {
        using var host = new CbsdHost();
        host.Answer(CbsdCommands.Netstat, new CommandResult(CommandOutcome.TimedOut, -1, [], []));
        var (data, warnings) = host.Collect();
        var nic0 = data.VMs["debian12"].Ifs["nic0"];
        Assert.Equal(("tap3", "00:a0:98:5b:1c:0e", 0UL), (nic0.If, nic0.Mac, nic0.Ipkts));
        Assert.Contains(warnings, w => w.Contains("'netstat -ibdWn' did not finish within 5 s and was killed"));
        Assert.Equal(2210348UL, data.VMs["debian12"].Disks["dsk1.vhd"].Rreqs);
    }

    [Fact]
    public void AMissingPsLeavesProcessFiguresOutButKeepsBlsFigures()
    {
        using var host = new CbsdHost();
        host.Answer(PsDebianVm10, new CommandResult(CommandOutcome.NotStarted, -1, [], "/bin/ps: No such file or directory"u8.ToArray()));
        var (data, warnings) = host.Collect();
        var vm = data.VMs["debian12"];
        Assert.Equal((0UL, 7.0, 1734UL * 1024 * 1024), (vm.Etimes, vm.Pcpu, vm.Rss));
        Assert.Contains(warnings, w => w.Contains("could not be started: /bin/ps: No such file"));
    }

    [Fact]
    public void APidThatIsNotTheVmsBhyveIsNotReported()
    {
        using var host = new CbsdHost();
        host.Answer(PsDebianVm10, host.Stdout(PsDebianVm10).Replace("bhyve: debian12 (bhyve)", "/usr/sbin/sshd -D").Replace("51877   98211", "51870   98211"));
        var (data, warnings) = host.Collect();
        Assert.Equal(0UL, data.VMs["debian12"].Etimes);
        Assert.Equal(0UL, data.VMs["vm10"].Etimes);
        Assert.Contains(warnings, w => w.Contains("'debian12': pid 48213 is not its bhyve ('/usr/sbin/sshd -D')"));
        Assert.Contains(warnings, w => w.Contains("'vm10': no process has its pid 51877"));
    }

    [Fact]
    public void AHostWithoutReplicasNeverAsksWhereCbsdKeepsItsData()
    {
        using var host = new CbsdHost("freebsd14-nocolor");
        host.Collect();
        Assert.DoesNotContain(host.Asked, a => a.StartsWith("sysrc", StringComparison.Ordinal) || a.StartsWith("zfs get", StringComparison.Ordinal));
    }

    [Fact]
    public void ReplicasThatNothingTellsApartCostOnlyTheirZfsFigures()
    {
        using var host = new CbsdHost("freebsd14-replica");
        host.Answer(CbsdCommands.Workdir, "", exit: 1, stderr: "sysrc: unknown variable 'cbsd_workdir'");
        var (data, warnings) = host.Collect();
        Assert.Contains(warnings, w => w.Contains("unknown variable 'cbsd_workdir'") && w.EndsWith("replicated zvols cannot be told apart"));
        Assert.Contains(warnings, w => w.StartsWith("VM 'www1': disk dsk1.vhd matches several zvols (backup/zroot/cbsd/www1/dsk1.vhd, zroot/cbsd/www1/dsk1.vhd)"));
        Assert.DoesNotContain(host.Asked, a => a.StartsWith("zfs get", StringComparison.Ordinal) || a.StartsWith("sysctl", StringComparison.Ordinal));
        var disk = data.VMs["www1"].Disks["dsk1.vhd"];
        Assert.Equal((10UL * 1024 * 1024 * 1024, 0UL), (disk.Alloc, disk.InUse));
        Assert.Equal(1075314688UL, data.VMs["www1"].Rss);
    }

    [Fact]
    public void TheDataDatasetOfAnotherPoolDecidesForIt()
    {
        using var host = new CbsdHost("freebsd14-replica");
        host.Answer(CbsdCommands.DatasetOf("/usr/jails/jails-data"), "backup/zroot/cbsd\n");
        host.Answer(CbsdCommands.Kstats(["backup"]), "");
        var (data, _) = host.Collect();
        Assert.Equal(3221192704UL, data.VMs["www1"].Disks["dsk1.vhd"].InUse);
        Assert.Contains(PosixQuote.Join(CbsdCommands.Kstats(["backup"])), host.Asked);
    }

    [Fact]
    public void PsExitingOneWithItsHeaderOnlyMeansTheProcessesAreGone()
    {
        using var host = new CbsdHost();
        host.Answer(PsDebianVm10, host.Stdout(PsDebianVm10).Split('\n')[0] + "\n", exit: 1);
        var (_, warnings) = host.Collect();
        Assert.DoesNotContain(warnings, w => w.StartsWith("'ps ", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("no process has its pid 48213"));
    }

    [Fact]
    public void ASysctlThatFailsForOnePoolStillGivesTheOthersCounters()
    {
        using var host = new CbsdHost();
        host.Answer(CbsdCommands.Kstats(["zroot"]), host.Stdout(CbsdCommands.Kstats(["zroot"])), exit: 1, stderr: "sysctl: unknown oid 'kstat.zfs.tank.dataset'");
        var (data, warnings) = host.Collect();
        Assert.Equal(2210348UL, data.VMs["debian12"].Disks["dsk1.vhd"].Rreqs);
        Assert.Contains(warnings, w => w.Contains("unknown oid") && w.EndsWith("disk I/O counters may be missing"));
    }

    [Fact]
    public void NoVmsMeansOneCommandAndAnEmptyReport()
    {
        using var host = new CbsdHost();
        host.Answer(CbsdCommands.Bls, "");
        var (data, warnings) = host.Collect();
        Assert.Empty(data.VMs);
        Assert.Empty(warnings);
        Assert.Equal([PosixQuote.Join(CbsdCommands.Bls)], host.Asked);
    }

    [Fact]
    public void InvalidUtf8IsReplacedAndWarned()
    {
        using var host = new CbsdHost();
        var bls = host.Stdout(CbsdCommands.Bls);
        host.Answer(CbsdCommands.Bls, CommandResult.Exited(0, [.. System.Text.Encoding.UTF8.GetBytes(bls), .. "bad\xff  0  1  0  1  0  linux  0  Off  0\n"u8.ToArray().Select(b => b == 0xc3 ? (byte)0xff : b)], []));
        var (data, warnings) = host.Collect();
        Assert.Contains(warnings, w => w.Contains("not UTF-8"));
        Assert.Equal(7, data.VMs.Count);
    }

    [Fact]
    public void StatesAreCountedInTheTotals()
    {
        using var host = new CbsdHost();
        var t = host.Collect().Data.Totals;
        Assert.Equal((2UL, 1UL, 3UL), (t.On, t.Off, t.Unknown));
    }
}
