using HvMonitor.Collector.Facts;
using HvMonitor.Collector.Model;
using Xunit;

namespace HvMonitor.Tests.Collector.Model;

public class HvDataBuilderTests
{
    private static DiskFacts Disk(string target, string path, ulong alloc, ulong inUse, ulong onDisk, ulong rbytes) =>
        new(target, path) { Alloc = alloc, InUse = inUse, OnDisk = onDisk, Rbytes = rbytes, Wbytes = rbytes * 2, Rtime = 3, Freqs = 1 };

    [Fact]
    public void IsoImagesCountForIoButNotForDiskSizes()
    {
        var vm = HvDataBuilder.BuildVm(new VmFacts
        {
            Name = "vm",
            Disks =
            [
                Disk("vda", "/img/root.qcow2", 100, 10, 20, 1),
                Disk("vdb", "/img/data.qcow2", 1000, 100, 200, 2),
                Disk("hdc", "/iso/Debian-12.ISO", 5000, 5000, 5000, 4),
            ],
        });
        Assert.Equal(1100UL, vm.DiskAlloc);
        Assert.Equal(110UL, vm.DiskInUse);
        Assert.Equal(220UL, vm.DiskOnDisk);
        Assert.Equal(7UL, vm.Rbytes);   // ISO reads included
        Assert.Equal(14UL, vm.Wbytes);
        Assert.Equal(9.0, vm.Rtime);
        Assert.Equal(3UL, vm.Freqs);
        Assert.Equal(["hdc", "vda", "vdb"], vm.Disks.Keys);
    }

    [Fact]
    public void InterfacesBecomeNicNInOrderAndAreSummed()
    {
        var nics = Enumerable.Range(0, 12).Select(i => new InterfaceFacts { If = "vnet" + i, Ibytes = 10, Opkts = 1 }).ToList();
        var vm = HvDataBuilder.BuildVm(new VmFacts { Name = "vm", Interfaces = nics });
        Assert.Equal(Enumerable.Range(0, 12).Select(i => "nic" + i), vm.Ifs.Keys);
        Assert.Equal("vnet10", vm.Ifs["nic10"].If);
        Assert.Equal(120UL, vm.Ibytes);
        Assert.Equal(12UL, vm.Opkts);
    }

    [Fact]
    public void HypervisorRssWinsOverProcessRss()
    {
        var p = new ProcessStats { Rss = 111, Vsz = 222 };
        Assert.Equal(999UL, HvDataBuilder.BuildVm(new VmFacts { Name = "a", Process = p, HypervisorRssBytes = 999 }).Rss);
        Assert.Equal(111UL, HvDataBuilder.BuildVm(new VmFacts { Name = "a", Process = p }).Rss);
    }

    [Fact]
    public void TotalsSumEveryVmAndCountEveryState()
    {
        var states = Enum.GetValues<VmState>();
        var vms = states.Select((s, i) => new VmFacts
        {
            Name = "vm" + i,
            State = s,
            MemAllocBytes = 1024,
            Cpus = 2,
            Snapshots = 1,
            Process = new ProcessStats { Pcpu = 0.1, Pmem = 0.2, Usertime = 0.01, Systime = 0.07, Nvcsw = 5 },
            Disks = [Disk("vda", "/a.qcow2", 10, 5, 6, 1)],
            Interfaces = [new InterfaceFacts { Ibytes = 3, Coll = 1 }],
        }).ToList();
        var data = HvDataBuilder.Build("libvirt", vms);
        var t = data.Totals;
        int n = states.Length;
        Assert.Equal(n, data.VMs.Count);
        Assert.Equal((ulong)(1024 * n), t.MemAlloc);
        Assert.Equal((ulong)(2 * n), t.Cpus);
        Assert.Equal((ulong)n, t.Snaps);
        Assert.Equal((ulong)(10 * n), t.DiskAlloc);
        Assert.Equal((ulong)(3 * n), t.Ibytes);
        Assert.Equal((ulong)n, t.Coll);
        Assert.Equal((ulong)(5 * n), t.Nvcsw);
        // Rounded back to the inputs' precision: no 1.1000000000000003.
        Assert.Equal(Math.Round(0.1 * n, 1), t.Pcpu);
        Assert.Equal(Math.Round(0.07 * n, 2), t.Systime);
        Assert.Equal(1UL, t.Nostate);
        Assert.Equal(1UL, t.On);
        Assert.Equal(1UL, t.Blocked);
        Assert.Equal(1UL, t.Paused);
        Assert.Equal(1UL, t.OffSoft);
        Assert.Equal(1UL, t.OffHard);
        Assert.Equal(1UL, t.Crashed);
        Assert.Equal(1UL, t.Pmsuspended);
        Assert.Equal(1UL, t.Off);
        Assert.Equal(2UL, t.Unknown); // maintenance (9) and unknown (10)
    }

    [Fact]
    public void AnEmptyHostHasZeroTotals()
    {
        var data = HvDataBuilder.Build("libvirt", []);
        Assert.Empty(data.VMs);
        Assert.Equal(0UL, data.Totals.On + data.Totals.OffHard + data.Totals.MemAlloc);
    }
}
