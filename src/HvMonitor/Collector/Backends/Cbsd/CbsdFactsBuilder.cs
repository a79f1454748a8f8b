using System.Globalization;
using HvMonitor.Collector.Facts;
using HvMonitor.Shared.Cbsd;

namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>
/// Joins what the host's commands said into one <see cref="VmFacts"/> per VM <c>cbsd bls</c> listed. Pure:
/// the backend does the I/O. Every gap (a pid that is not the VM's bhyve, a disk without a zvol) is a warning
/// for that VM only.
/// </summary>
public static class CbsdFactsBuilder
{
    private const ulong MiB = 1024 * 1024;

    public static IReadOnlyList<VmFacts> Build(CbsdHostOutputs host, Action<string> warn)
    {
        var zvols = CbsdZvols.Match(host.Disks ?? [], host.Volumes ?? [], host.CbsdDataDataset);
        var result = new List<VmFacts>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var vm in host.Vms)
        {
            if (!seen.Add(vm.Name))
            {
                warn($"cbsd bls listed VM '{vm.Name}' twice; the second row is ignored");
                continue;
            }
            var snapshots = host.Snapshots?.Where(s => s.VmName == vm.Name).ToList() ?? [];
            result.Add(new VmFacts
            {
                Name = vm.Name,
                State = vm.State,
                MemAllocBytes = CbsdNumbers.MultiplyOrNull(vm.RamMiB, MiB) ?? ulong.MaxValue,
                Cpus = vm.Cpus,
                Process = ProcessOf(vm, host, warn),
                Snapshots = (ulong)snapshots.Count,
                SnapshotsSizeBytes = snapshots.Aggregate(0UL, (sum, s) => sum + s.ReferBytes),
                ConsoleType = "vnc",
                Console = BlsParser.Console(vm.Vnc),
                OsType = vm.OsType,
                Ip = BlsParser.Ip(vm.Ip4),
                Disks = DisksOf(vm.Name, host, zvols, warn),
                Interfaces = InterfacesOf(vm.Name, host),
            });
        }
        return result;
    }

    /// <summary>
    /// ps figures only from a process that is this VM's bhyve (pid 1 is CBSD's placeholder, and a stale jid may
    /// name another process now). pcpu comes from bls (rctl); vm_curmem stands in for rss when ps has nothing.
    /// bls reads pcpu and vm_curmem from <c>rctl -u process:JID</c>, the same pid: when ps shows that pid is some
    /// other program, they describe that program too, so the VM reports no process figures at all (nor adds any
    /// to the totals). When ps could not run, or the pid was gone by the time it did, nothing says the pid was
    /// foreign: bls's figures stay.
    /// </summary>
    private static ProcessStats? ProcessOf(BlsRow vm, CbsdHostOutputs host, Action<string> warn)
    {
        PsRow? ps = null;
        if (vm.Jid == 1)
        {
            warn($"VM '{vm.Name}': CBSD shows jid 1, its placeholder for an unknown bhyve pid; process figures are left out");
        }
        else if (vm.Pid is int pid && host.Processes is { } processes)
        {
            if (!processes.TryGetValue(pid, out ps))
                warn($"VM '{vm.Name}': no process has its pid {pid.ToString(CultureInfo.InvariantCulture)}; process figures are left out");
            else if (!ps.IsBhyveOf(vm.Name))
            {
                warn($"VM '{vm.Name}': pid {pid.ToString(CultureInfo.InvariantCulture)} is not its bhyve ('{ps.Args}'); process figures, and bls's pcpu and vm_curmem of that pid, are left out");
                return null;
            }
        }
        if (ps is null && vm.Pcpu == 0 && vm.CurMemMiB == 0)
            return null;
        var stats = ps?.Stats ?? new ProcessStats { Rss = CbsdNumbers.MultiplyOrNull(vm.CurMemMiB, MiB) ?? 0 };
        return stats with { Pcpu = vm.Pcpu };
    }

    private static List<DiskFacts> DisksOf(string vmName, CbsdHostOutputs host, ZvolMatch zvols, Action<string> warn)
    {
        var disks = new List<DiskFacts>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var disk in host.Disks?.Where(d => d.VmName == vmName) ?? [])
        {
            if (!keys.Add(disk.Path))
                continue;
            var entry = new DiskFacts(disk.Path, disk.Path) { Alloc = disk.Size.AllocBytes ?? 0 };
            var zvol = zvols.Zvols.GetValueOrDefault((vmName, disk.Path));
            foreach (var (_, _, candidates) in zvols.Undecided.Where(u => u.Vm == vmName && u.Disk == disk.Path))
            {
                string data = host.CbsdDataDataset is { } d ? $"CBSD's data dataset {d}" : "CBSD's data dataset (unknown)";
                warn($"VM '{vmName}': disk {disk.Path} matches several zvols ({string.Join(", ", candidates.Select(m => m.Name))}) and neither " +
                     $"{data} nor the other disks' zvols tell which is live; its ZFS figures are left out");
            }
            if (zvol is not null)
            {
                // The zvol's exact volsize beats dsk_size, which CBSD rounds to at most 4 characters ("2g" for 1.5 GiB).
                entry = entry with { Alloc = zvol.VolsizeBytes ?? entry.Alloc, InUse = zvol.ReferBytes, OnDisk = zvol.UsedBytes };
                if (host.DatasetIo?.GetValueOrDefault(zvol.Name) is { } io)
                    entry = entry with { Rreqs = io.Reads, Rbytes = io.ReadBytes, Wreqs = io.Writes, Wbytes = io.WrittenBytes };
            }
            else if (disk.Size.RealBytes is ulong real)
            {
                // A file-backed image: du's usage is what it holds and what it takes on disk.
                entry = entry with { InUse = real, OnDisk = real };
            }
            disks.Add(entry);
        }
        return disks;
    }

    /// <summary>nicN in CBSD's order; counters from the tap CBSD described as <c>VM-nicN</c>, link row only.</summary>
    private static List<InterfaceFacts> InterfacesOf(string vmName, CbsdHostOutputs host)
    {
        var result = new List<InterfaceFacts>();
        foreach (var nic in host.Nics?.Where(n => n.VmName == vmName).OrderBy(n => n.Index) ?? Enumerable.Empty<NicRow>())
        {
            var entry = new InterfaceFacts { Mac = nic.Mac, Parent = nic.Parent };
            string description = vmName + "-nic" + nic.Index.ToString(CultureInfo.InvariantCulture);
            if (host.InterfacesByDescription?.GetValueOrDefault(description) is { } tap)
            {
                entry = entry with { If = tap };
                if (host.Links?.GetValueOrDefault(tap) is { } c)
                {
                    entry = entry with
                    {
                        Ipkts = c.Ipkts, Ierrs = c.Ierrs, Idrop = c.Idrop, Ibytes = c.Ibytes,
                        Opkts = c.Opkts, Oerrs = c.Oerrs, Obytes = c.Obytes, Coll = c.Coll, Odrop = c.Drop,
                    };
                }
            }
            result.Add(entry);
        }
        return result;
    }
}
