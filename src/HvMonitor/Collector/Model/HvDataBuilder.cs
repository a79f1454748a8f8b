using HvMonitor.Collector.Facts;

namespace HvMonitor.Collector.Model;

/// <summary>
/// The one place where per-VM facts become the LibreNMS document: each fact copied into its entry, per-VM sums over
/// disks and interfaces, then totals over VMs. Pure; shared by every backend. The document's entries are its own
/// objects: nothing of the facts is shared with it.
/// </summary>
public static class HvDataBuilder
{
    public static HvData Build(string hv, IEnumerable<VmFacts> vms)
    {
        var data = new HvData { Hv = hv };
        foreach (var facts in vms)
        {
            var vm = BuildVm(facts);
            data.VMs[facts.Name] = vm;
            AddToTotals(data.Totals, vm);
        }
        // Sums of doubles drift (0.1 + 0.2); round back to the precision the inputs have:
        // ps prints percentages with one decimal, and CPU times are clock ticks of 1/100 s.
        data.Totals.Pcpu = Math.Round(data.Totals.Pcpu, 1);
        data.Totals.Pmem = Math.Round(data.Totals.Pmem, 1);
        data.Totals.Usertime = Math.Round(data.Totals.Usertime, 2);
        data.Totals.Systime = Math.Round(data.Totals.Systime, 2);
        // Disk times are ns ÷ 10⁶: six decimals at most.
        data.Totals.Rtime = Math.Round(data.Totals.Rtime, 6);
        data.Totals.Wtime = Math.Round(data.Totals.Wtime, 6);
        data.Totals.Ftime = Math.Round(data.Totals.Ftime, 6);
        return data;
    }

    public static VmEntry BuildVm(VmFacts facts)
    {
        var p = facts.Process ?? new ProcessStats();
        var vm = new VmEntry
        {
            StatusInt = (int)facts.State,
            MemAlloc = facts.MemAllocBytes,
            Cpus = facts.Cpus,
            Pcpu = p.Pcpu,
            Pmem = p.Pmem,
            Etimes = p.Etimes,
            Pri = p.Pri,
            Nice = p.Nice,
            Vsz = p.Vsz,
            Rss = facts.HypervisorRssBytes ?? p.Rss,
            Majflt = p.Majflt,
            Minflt = p.Minflt,
            Usertime = p.Usertime,
            Systime = p.Systime,
            Nvcsw = p.Nvcsw,
            Nivcsw = p.Nivcsw,
            Cow = p.Cow,
            Nswap = p.Nswap,
            Inblk = p.Inblk,
            Oublk = p.Oublk,
            Snaps = facts.Snapshots,
            SnapsSize = facts.SnapshotsSizeBytes,
            ConsoleType = facts.ConsoleType,
            Console = facts.Console,
            OsType = facts.OsType,
            Ip = facts.Ip,
        };

        foreach (var disk in facts.Disks)
        {
            var entry = DiskEntryOf(disk);
            vm.Disks[disk.Target] = entry;
            AddBlock(vm, entry);
            if (disk.IsIsoImage)
                continue;
            vm.DiskAlloc = Add(vm.DiskAlloc, entry.Alloc);
            vm.DiskInUse = Add(vm.DiskInUse, entry.InUse);
            vm.DiskOnDisk = Add(vm.DiskOnDisk, entry.OnDisk);
        }

        for (int i = 0; i < facts.Interfaces.Count; i++)
        {
            var nic = InterfaceEntryOf(facts.Interfaces[i]);
            vm.Ifs["nic" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = nic;
            AddNet(vm, nic);
        }
        return vm;
    }

    private static DiskEntry DiskEntryOf(DiskFacts d) => new()
    {
        Alloc = d.Alloc, InUse = d.InUse, OnDisk = d.OnDisk,
        Rbytes = d.Rbytes, Rreqs = d.Rreqs, Rtime = d.Rtime,
        Wbytes = d.Wbytes, Wreqs = d.Wreqs, Wtime = d.Wtime,
        Freqs = d.Freqs, Ftime = d.Ftime,
    };

    private static InterfaceEntry InterfaceEntryOf(InterfaceFacts n) => new()
    {
        If = n.If, Mac = n.Mac, Parent = n.Parent,
        Ipkts = n.Ipkts, Ierrs = n.Ierrs, Ibytes = n.Ibytes, Idrop = n.Idrop,
        Opkts = n.Opkts, Oerrs = n.Oerrs, Obytes = n.Obytes, Odrop = n.Odrop,
        Coll = n.Coll,
    };

    private static void AddToTotals(Totals t, VmEntry vm)
    {
        t.MemAlloc = Add(t.MemAlloc, vm.MemAlloc);
        t.Cpus = Add(t.Cpus, vm.Cpus);
        t.Pcpu = Add(t.Pcpu, vm.Pcpu);
        t.Pmem = Add(t.Pmem, vm.Pmem);
        t.Etimes = Add(t.Etimes, vm.Etimes);
        t.Vsz = Add(t.Vsz, vm.Vsz);
        t.Rss = Add(t.Rss, vm.Rss);
        t.Majflt = Add(t.Majflt, vm.Majflt);
        t.Minflt = Add(t.Minflt, vm.Minflt);
        t.Usertime = Add(t.Usertime, vm.Usertime);
        t.Systime = Add(t.Systime, vm.Systime);
        t.Nvcsw = Add(t.Nvcsw, vm.Nvcsw);
        t.Nivcsw = Add(t.Nivcsw, vm.Nivcsw);
        t.Cow = Add(t.Cow, vm.Cow);
        t.Nswap = Add(t.Nswap, vm.Nswap);
        t.Inblk = Add(t.Inblk, vm.Inblk);
        t.Oublk = Add(t.Oublk, vm.Oublk);
        t.Snaps = Add(t.Snaps, vm.Snaps);
        t.SnapsSize = Add(t.SnapsSize, vm.SnapsSize);
        t.DiskAlloc = Add(t.DiskAlloc, vm.DiskAlloc);
        t.DiskInUse = Add(t.DiskInUse, vm.DiskInUse);
        t.DiskOnDisk = Add(t.DiskOnDisk, vm.DiskOnDisk);
        AddBlock(t, vm);
        AddNet(t, vm);

        switch ((VmState)vm.StatusInt)
        {
            case VmState.NoState: t.Nostate++; break;
            case VmState.Running: t.On++; break;
            case VmState.Blocked: t.Blocked++; break;
            case VmState.Paused: t.Paused++; break;
            case VmState.Shutdown: t.OffSoft++; break;
            case VmState.Shutoff: t.OffHard++; break;
            case VmState.Crashed: t.Crashed++; break;
            case VmState.PmSuspended: t.Pmsuspended++; break;
            case VmState.Off: t.Off++; break;
            default: t.Unknown++; break;
        }
    }

    /// <summary>
    /// Saturating sums: a wrapped ulong total would fall to a small number, which LibreNMS's DERIVE reads
    /// as a counter reset; a total stuck at the maximum is clamped to 2^63-1 on output anyway.
    /// </summary>
    private static ulong Add(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;

    private static double Add(double a, double b) => a + b;

    private static void AddBlock(IBlockCounters sum, IBlockCounters add)
    {
        sum.Rbytes = Add(sum.Rbytes, add.Rbytes);
        sum.Rreqs = Add(sum.Rreqs, add.Rreqs);
        sum.Rtime = Add(sum.Rtime, add.Rtime);
        sum.Wbytes = Add(sum.Wbytes, add.Wbytes);
        sum.Wreqs = Add(sum.Wreqs, add.Wreqs);
        sum.Wtime = Add(sum.Wtime, add.Wtime);
        sum.Freqs = Add(sum.Freqs, add.Freqs);
        sum.Ftime = Add(sum.Ftime, add.Ftime);
    }

    private static void AddNet(INetCounters sum, INetCounters add)
    {
        sum.Ipkts = Add(sum.Ipkts, add.Ipkts);
        sum.Ierrs = Add(sum.Ierrs, add.Ierrs);
        sum.Ibytes = Add(sum.Ibytes, add.Ibytes);
        sum.Idrop = Add(sum.Idrop, add.Idrop);
        sum.Opkts = Add(sum.Opkts, add.Opkts);
        sum.Oerrs = Add(sum.Oerrs, add.Oerrs);
        sum.Obytes = Add(sum.Obytes, add.Obytes);
        sum.Odrop = Add(sum.Odrop, add.Odrop);
        sum.Coll = Add(sum.Coll, add.Coll);
    }
}
