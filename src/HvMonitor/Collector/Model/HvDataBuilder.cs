namespace HvMonitor.Collector.Model;

/// <summary>
/// The one place where per-VM facts become the output model: per-VM sums over disks and interfaces,
/// then totals over VMs. Pure; shared by every backend.
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
            vm.Disks[disk.Target] = disk.Stats;
            AddBlock(vm, disk.Stats);
            if (disk.IsIsoImage)
                continue;
            vm.DiskAlloc += disk.Stats.Alloc;
            vm.DiskInUse += disk.Stats.InUse;
            vm.DiskOnDisk += disk.Stats.OnDisk;
        }

        for (int i = 0; i < facts.Interfaces.Count; i++)
        {
            var nic = facts.Interfaces[i];
            vm.Ifs["nic" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = nic;
            AddNet(vm, nic);
        }
        return vm;
    }

    private static void AddToTotals(Totals t, VmEntry vm)
    {
        t.MemAlloc += vm.MemAlloc;
        t.Cpus += vm.Cpus;
        t.Pcpu += vm.Pcpu;
        t.Pmem += vm.Pmem;
        t.Etimes += vm.Etimes;
        t.Vsz += vm.Vsz;
        t.Rss += vm.Rss;
        t.Majflt += vm.Majflt;
        t.Minflt += vm.Minflt;
        t.Usertime += vm.Usertime;
        t.Systime += vm.Systime;
        t.Nvcsw += vm.Nvcsw;
        t.Nivcsw += vm.Nivcsw;
        t.Cow += vm.Cow;
        t.Nswap += vm.Nswap;
        t.Inblk += vm.Inblk;
        t.Oublk += vm.Oublk;
        t.Snaps += vm.Snaps;
        t.SnapsSize += vm.SnapsSize;
        t.DiskAlloc += vm.DiskAlloc;
        t.DiskInUse += vm.DiskInUse;
        t.DiskOnDisk += vm.DiskOnDisk;
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

    private static void AddBlock(IBlockCounters sum, IBlockCounters add)
    {
        sum.Rbytes += add.Rbytes;
        sum.Rreqs += add.Rreqs;
        sum.Rtime += add.Rtime;
        sum.Wbytes += add.Wbytes;
        sum.Wreqs += add.Wreqs;
        sum.Wtime += add.Wtime;
        sum.Freqs += add.Freqs;
        sum.Ftime += add.Ftime;
    }

    private static void AddNet(INetCounters sum, INetCounters add)
    {
        sum.Ipkts += add.Ipkts;
        sum.Ierrs += add.Ierrs;
        sum.Ibytes += add.Ibytes;
        sum.Idrop += add.Idrop;
        sum.Opkts += add.Opkts;
        sum.Oerrs += add.Oerrs;
        sum.Obytes += add.Obytes;
        sum.Odrop += add.Odrop;
        sum.Coll += add.Coll;
    }
}
