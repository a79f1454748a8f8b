using HvMonitor.Collector.Facts;
using HvMonitor.Collector.App;
using HvMonitor.Collector.Model;

namespace HvMonitor.Collector.Output.Prometheus;

/// <summary>
/// What one collection tells Prometheus: the collected facts, which VMs were listed, the warnings, and how
/// the run went. Built from a <see cref="CollectionResult"/>; the exporter adds its own families after these.
/// </summary>
public sealed record PrometheusCollection(
    string Hv,
    IReadOnlyList<VmFacts> Facts,
    IReadOnlyList<string>? Listed,
    IReadOnlyList<string> Warnings,
    bool Up,
    bool Complete,
    double DurationSeconds)
{
    public static PrometheusCollection From(CollectionResult result, TimeSpan duration) => new(
        result.Envelope.Data.Hv, result.Facts, result.Listed, result.Warnings,
        Up: result.Envelope.Error == ErrorCodes.None, result.Complete, duration.TotalSeconds);
}

/// <summary>
/// The collection as Prometheus metric families (docs/prometheus.md is the contract): one family per field
/// group, base units (bytes, seconds), <c>_total</c> for counters, strings in <c>_info</c> families, every VM
/// labelled by <c>vm</c> and <c>uuid</c>, disks by <c>disk</c>, interfaces by <c>interface</c>. No host
/// totals: <c>sum()</c> in PromQL gives them. Pure; reads the facts, not the LibreNMS document.
/// </summary>
public static class PrometheusMetrics
{
    public const string Prefix = "hv_monitor_";

    private sealed record VmMetric(string Name, MetricType Type, string Help, Func<VmFacts, double?> Value);

    private sealed record ProcessMetric(string Name, MetricType Type, string Help, Func<ProcessStats, double> Value, string? Label = null, string? LabelValue = null);

    private sealed record DiskMetric(string Name, MetricType Type, string Help, Func<DiskFacts, double> Value);

    private sealed record NicMetric(string Name, MetricType Type, string Help, Func<InterfaceFacts, double> Value);

    private static readonly VmMetric[] VmMetrics =
    [
        new("vm_state_reason", MetricType.Gauge, "Why the VM is in its state: libvirt's reason number for that state (virDomain*Reason).", f => f.StateReason),
        new("vm_memory_bytes", MetricType.Gauge, "Memory allocated to the VM (LibreNMS mem_alloc), bytes.", f => f.MemAllocBytes),
        new("vm_vcpus", MetricType.Gauge, "Virtual CPUs of the VM (LibreNMS cpus).", f => f.Cpus),
        new("vm_resident_memory_bytes", MetricType.Gauge, "Resident memory of the VM as the hypervisor reports it, else its process's (LibreNMS rss), bytes.",
            f => f.HypervisorRssBytes ?? f.Process?.Rss),
        new("vm_balloon_current_bytes", MetricType.Gauge, "Current balloon size (libvirt balloon.current), bytes.", f => f.BalloonCurrentBytes),
        new("vm_balloon_available_bytes", MetricType.Gauge, "Memory the guest sees in total (libvirt balloon.available; needs the guest's balloon driver), bytes.", f => f.BalloonAvailableBytes),
        new("vm_balloon_unused_bytes", MetricType.Gauge, "Memory the guest leaves unused (libvirt balloon.unused; needs the guest's balloon driver), bytes.", f => f.BalloonUnusedBytes),
        new("vm_balloon_usable_bytes", MetricType.Gauge, "Memory the guest can use without swapping (libvirt balloon.usable; needs the guest's balloon driver), bytes.", f => f.BalloonUsableBytes),
        new("vm_snapshots", MetricType.Gauge, "Snapshots of the VM (LibreNMS snaps).", f => f.Snapshots),
        new("vm_snapshots_size_bytes", MetricType.Gauge, "Space the VM's snapshots take (LibreNMS snaps_size; CBSD only), bytes.", f => f.SnapshotsSizeBytes),
    ];

    private static readonly ProcessMetric[] ProcessMetrics =
    [
        new("vm_process_cpu_percent", MetricType.Gauge, "CPU use of the VM's hypervisor process over its lifetime, as ps pcpu (100 = one core).", p => p.Pcpu),
        new("vm_process_memory_percent", MetricType.Gauge, "Resident memory of the VM's hypervisor process as a share of host memory, as ps pmem.", p => p.Pmem),
        new("vm_process_elapsed_seconds", MetricType.Gauge, "Seconds since the VM's hypervisor process started (ps etimes).", p => p.Etimes),
        new("vm_process_priority", MetricType.Gauge, "Scheduling priority of the VM's hypervisor process (ps pri).", p => p.Pri),
        new("vm_process_nice", MetricType.Gauge, "Nice value of the VM's hypervisor process.", p => p.Nice),
        new("vm_process_virtual_memory_bytes", MetricType.Gauge, "Virtual memory size of the VM's hypervisor process, bytes.", p => p.Vsz),
        new("vm_process_resident_memory_bytes", MetricType.Gauge, "Resident memory of the VM's hypervisor process, bytes.", p => p.Rss),
        new("vm_process_cpu_seconds_total", MetricType.Counter, "CPU time of the VM's hypervisor process by mode, seconds.", p => p.Usertime, "mode", "user"),
        new("vm_process_cpu_seconds_total", MetricType.Counter, "", p => p.Systime, "mode", "system"),
        new("vm_process_page_faults_total", MetricType.Counter, "Page faults of the VM's hypervisor process by kind.", p => p.Majflt, "kind", "major"),
        new("vm_process_page_faults_total", MetricType.Counter, "", p => p.Minflt, "kind", "minor"),
        new("vm_process_context_switches_total", MetricType.Counter, "Context switches of the VM's hypervisor process by kind.", p => p.Nvcsw, "kind", "voluntary"),
        new("vm_process_context_switches_total", MetricType.Counter, "", p => p.Nivcsw, "kind", "involuntary"),
        new("vm_process_copy_on_write_faults_total", MetricType.Counter, "Copy-on-write faults of the VM's hypervisor process (FreeBSD only).", p => p.Cow),
        new("vm_process_swaps_total", MetricType.Counter, "Times the VM's hypervisor process was swapped out (FreeBSD only).", p => p.Nswap),
        new("vm_process_block_operations_total", MetricType.Counter, "Block input and output operations of the VM's hypervisor process (FreeBSD only).", p => p.Inblk, "direction", "in"),
        new("vm_process_block_operations_total", MetricType.Counter, "", p => p.Oublk, "direction", "out"),
    ];

    private static readonly DiskMetric[] DiskMetrics =
    [
        new("vm_disk_capacity_bytes", MetricType.Gauge, "Size of the disk as the guest sees it (libvirt block.N.capacity; LibreNMS alloc), bytes.", d => d.Alloc),
        new("vm_disk_allocation_bytes", MetricType.Gauge, "Space the disk's image uses (libvirt block.N.allocation; LibreNMS in_use), bytes.", d => d.InUse),
        new("vm_disk_physical_bytes", MetricType.Gauge, "Size of the disk's image file or device (libvirt block.N.physical; LibreNMS on_disk), bytes.", d => d.OnDisk),
        new("vm_disk_read_bytes_total", MetricType.Counter, "Bytes read from the disk.", d => d.Rbytes),
        new("vm_disk_read_requests_total", MetricType.Counter, "Read requests to the disk.", d => d.Rreqs),
        new("vm_disk_read_seconds_total", MetricType.Counter, "Time spent reading the disk, seconds.", d => d.Rtime / 1000),
        new("vm_disk_write_bytes_total", MetricType.Counter, "Bytes written to the disk.", d => d.Wbytes),
        new("vm_disk_write_requests_total", MetricType.Counter, "Write requests to the disk.", d => d.Wreqs),
        new("vm_disk_write_seconds_total", MetricType.Counter, "Time spent writing the disk, seconds.", d => d.Wtime / 1000),
        new("vm_disk_flush_requests_total", MetricType.Counter, "Flush requests to the disk.", d => d.Freqs),
        new("vm_disk_flush_seconds_total", MetricType.Counter, "Time spent flushing the disk, seconds.", d => d.Ftime / 1000),
    ];

    private static readonly NicMetric[] NicMetrics =
    [
        new("vm_interface_receive_bytes_total", MetricType.Counter, "Bytes the VM received on the interface.", n => n.Ibytes),
        new("vm_interface_receive_packets_total", MetricType.Counter, "Packets the VM received on the interface.", n => n.Ipkts),
        new("vm_interface_receive_errors_total", MetricType.Counter, "Receive errors on the interface.", n => n.Ierrs),
        new("vm_interface_receive_drops_total", MetricType.Counter, "Received packets dropped on the interface.", n => n.Idrop),
        new("vm_interface_transmit_bytes_total", MetricType.Counter, "Bytes the VM sent on the interface.", n => n.Obytes),
        new("vm_interface_transmit_packets_total", MetricType.Counter, "Packets the VM sent on the interface.", n => n.Opkts),
        new("vm_interface_transmit_errors_total", MetricType.Counter, "Transmit errors on the interface.", n => n.Oerrs),
        new("vm_interface_transmit_drops_total", MetricType.Counter, "Sent packets dropped on the interface.", n => n.Odrop),
        new("vm_interface_collisions_total", MetricType.Counter, "Collisions on the interface (FreeBSD only).", n => n.Coll),
    ];

    /// <summary>LibreNMS's status_int as the state label's value.</summary>
    public static string StateName(VmState state) => state switch
    {
        VmState.NoState => "nostate",
        VmState.Running => "running",
        VmState.Blocked => "blocked",
        VmState.Paused => "paused",
        VmState.Shutdown => "shutdown",
        VmState.Shutoff => "shutoff",
        VmState.Crashed => "crashed",
        VmState.PmSuspended => "pmsuspended",
        VmState.Off => "off",
        VmState.Maintenance => "maintenance",
        _ => "unknown",
    };

    public static void Write(ExpositionWriter w, PrometheusCollection c, string version)
    {
        // One entry per name, the last one winning, as in the LibreNMS document: a duplicate series is invalid.
        var vms = c.Facts.GroupBy(f => f.Name, StringComparer.Ordinal).Select(g => g.Last())
            .OrderBy(f => f.Name, StringComparer.Ordinal).ToList();

        WriteCollectionStatus(w, c, vms, version);

        Family(w, "vm_info", MetricType.Gauge, "Always 1; the VM's strings as labels (os_type, console_type, console, ip as in LibreNMS).");
        foreach (var f in vms)
            w.Sample(Prefix + "vm_info", [("vm", f.Name), ("uuid", f.Uuid ?? ""), ("os_type", f.OsType), ("console_type", f.ConsoleType), ("console", f.Console), ("ip", f.Ip)], 1);
        Family(w, "vm_state", MetricType.Gauge, "Always 1; the VM's state as the state label (running, paused, shutoff, ...; LibreNMS status_int).");
        foreach (var f in vms)
            w.Sample(Prefix + "vm_state", [("vm", f.Name), ("uuid", f.Uuid ?? ""), ("state", StateName(f.State))], 1);

        foreach (var m in VmMetrics)
        {
            if (!vms.Any(f => m.Value(f) is not null))
                continue;
            Family(w, m.Name, m.Type, m.Help);
            foreach (var f in vms)
            {
                if (m.Value(f) is double v)
                    w.Sample(Prefix + m.Name, [("vm", f.Name), ("uuid", f.Uuid ?? "")], v);
            }
        }

        // Process figures only for VMs that have a process: a VM that is off has none, rather than zeros.
        var withProcess = vms.Where(f => f.Process is not null).ToList();
        string? open = null;
        foreach (var m in ProcessMetrics)
        {
            if (withProcess.Count == 0)
                break;
            if (open != m.Name)
                Family(w, open = m.Name, m.Type, m.Help);
            foreach (var f in withProcess)
            {
                var value = m.Value(f.Process!);
                if (m.Label is null)
                    w.Sample(Prefix + m.Name, [("vm", f.Name), ("uuid", f.Uuid ?? "")], value);
                else
                    w.Sample(Prefix + m.Name, [("vm", f.Name), ("uuid", f.Uuid ?? ""), (m.Label, m.LabelValue!)], value);
            }
        }

        WriteVcpus(w, vms);
        WriteDisks(w, vms);
        WriteInterfaces(w, vms);
    }

    private static void WriteVcpus(ExpositionWriter w, List<VmFacts> vms)
    {
        foreach (var (name, help, pick) in new (string, string, Func<VcpuFacts, ulong?>)[]
        {
            ("vm_vcpu_time_seconds_total", "Time the vCPU ran (libvirt vcpu.N.time), seconds.", v => v.TimeNs),
            ("vm_vcpu_wait_seconds_total", "Time the vCPU was runnable but waited for a host CPU (libvirt vcpu.N.wait), seconds.", v => v.WaitNs),
        })
        {
            if (!vms.Any(f => f.VcpuTimes.Any(v => pick(v) is not null)))
                continue;
            Family(w, name, MetricType.Counter, help);
            foreach (var f in vms)
                foreach (var v in f.VcpuTimes)
                    if (pick(v) is ulong ns)
                        w.Sample(Prefix + name, [("vm", f.Name), ("uuid", f.Uuid ?? ""), ("vcpu", v.Index.ToString(System.Globalization.CultureInfo.InvariantCulture))], ns / 1e9);
        }
    }

    private static void WriteCollectionStatus(ExpositionWriter w, PrometheusCollection c, List<VmFacts> vms, string version)
    {
        Family(w, "build_info", MetricType.Gauge, "Always 1; the hv-monitor version and the backend (hv) as labels.");
        w.Sample(Prefix + "build_info", [("version", version), ("hv", c.Hv)], 1);
        Family(w, "up", MetricType.Gauge, "1 when the hypervisor could be queried (the LibreNMS error is 0), else 0.");
        w.Sample(Prefix + "up", c.Up ? 1 : 0);
        Family(w, "collection_complete", MetricType.Gauge, "1 when every listed VM was collected with all its figures and without a warning, else 0.");
        w.Sample(Prefix + "collection_complete", c.Complete ? 1 : 0);
        Family(w, "collection_duration_seconds", MetricType.Gauge, "How long the collection took, seconds.");
        w.Sample(Prefix + "collection_duration_seconds", c.DurationSeconds);
        Family(w, "collection_warnings", MetricType.Gauge, "Warnings of the collection (the log and LibreNMS errorString say which).");
        w.Sample(Prefix + "collection_warnings", c.Warnings.Count);
        Family(w, "vms_listed", MetricType.Gauge, "VMs the hypervisor listed (absent when it never answered).");
        if (c.Listed is not null)
            w.Sample(Prefix + "vms_listed", c.Listed.Distinct(StringComparer.Ordinal).Count());
        Family(w, "vms_collected", MetricType.Gauge, "VMs collected.");
        w.Sample(Prefix + "vms_collected", vms.Count);

        // A VM the hypervisor listed but the deadline cut off is named, so an alert can say which.
        var collected = vms.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        Family(w, "vm_missing", MetricType.Gauge, "Always 1: a VM the hypervisor listed that was not collected (deadline passed).");
        foreach (var name in (c.Listed ?? []).Distinct(StringComparer.Ordinal).Where(n => !collected.Contains(n)).Order(StringComparer.Ordinal))
            w.Sample(Prefix + "vm_missing", [("vm", name)], 1);
        Family(w, "vm_collection_errors", MetricType.Gauge, "Warnings of this collection that name the VM (a probe that failed for it).");
        foreach (var f in vms)
        {
            var quoted = "'" + f.Name + "'";
            w.Sample(Prefix + "vm_collection_errors", [("vm", f.Name), ("uuid", f.Uuid ?? "")], c.Warnings.Count(x => x.Contains(quoted, StringComparison.Ordinal)));
        }
    }

    private static void WriteDisks(ExpositionWriter w, List<VmFacts> vms)
    {
        if (!vms.Any(f => f.Disks.Count > 0))
            return;
        Family(w, "vm_disk_info", MetricType.Gauge, "Always 1; the disk's source path as a label.");
        foreach (var f in vms)
            foreach (var d in Unique(f.Disks))
                w.Sample(Prefix + "vm_disk_info", [("vm", f.Name), ("uuid", f.Uuid ?? ""), ("disk", d.Target), ("path", d.Path ?? "")], 1);
        foreach (var m in DiskMetrics)
        {
            Family(w, m.Name, m.Type, m.Help);
            foreach (var f in vms)
                foreach (var d in Unique(f.Disks))
                    w.Sample(Prefix + m.Name, [("vm", f.Name), ("uuid", f.Uuid ?? ""), ("disk", d.Target)], m.Value(d));
        }
    }

    private static void WriteInterfaces(ExpositionWriter w, List<VmFacts> vms)
    {
        if (!vms.Any(f => f.Interfaces.Count > 0))
            return;
        Family(w, "vm_interface_info", MetricType.Gauge, "Always 1; the interface's host device, MAC address and parent (bridge) as labels.");
        foreach (var f in vms)
            for (int i = 0; i < f.Interfaces.Count; i++)
            {
                var n = f.Interfaces[i];
                w.Sample(Prefix + "vm_interface_info", [("vm", f.Name), ("uuid", f.Uuid ?? ""), ("interface", Nic(i)), ("device", n.If), ("mac", n.Mac), ("parent", n.Parent)], 1);
            }
        foreach (var m in NicMetrics)
        {
            Family(w, m.Name, m.Type, m.Help);
            foreach (var f in vms)
                for (int i = 0; i < f.Interfaces.Count; i++)
                    w.Sample(Prefix + m.Name, [("vm", f.Name), ("uuid", f.Uuid ?? ""), ("interface", Nic(i))], m.Value(f.Interfaces[i]));
        }
    }

    /// <summary>nicN as in the LibreNMS document: the interface's place in the hypervisor's order.</summary>
    private static string Nic(int i) => "nic" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The LibreNMS document keys disks by target, the last one winning; so do we.</summary>
    private static IEnumerable<DiskFacts> Unique(IReadOnlyList<DiskFacts> disks) =>
        disks.GroupBy(d => d.Target, StringComparer.Ordinal).Select(g => g.Last()).OrderBy(d => d.Target, StringComparer.Ordinal);

    private static void Family(ExpositionWriter w, string name, MetricType type, string help) => w.Family(Prefix + name, type, help);

    /// <summary>The whole text for one collection (the textfile, or a scrape before the exporter's own families).</summary>
    public static byte[] Render(PrometheusCollection c, string version)
    {
        var w = new ExpositionWriter();
        Write(w, c, version);
        return w.ToUtf8();
    }
}
