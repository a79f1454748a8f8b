using System.Globalization;
using HvMonitor.Collector.Facts;
using HvMonitor.Shared.Libvirt;

namespace HvMonitor.Collector.Backends.Libvirt;

/// <summary>
/// Turns one domain's stats record and XML description into backend-neutral <see cref="VmFacts"/>.
/// Pure: the caller does the I/O (stats call, XML, snapshot count, /proc, network look-ups).
/// </summary>
public static class LibvirtFactsBuilder
{
    /// <param name="disksKnown">False when libvirt's record lacks the figures QEMU's monitor supplies
    /// (<see cref="LacksMonitorFigures"/>): the disks are then left out, never reported with zero sizes and counters.</param>
    public static VmFacts Build(
        DomainStats stats,
        DomainConfig? config,
        ulong snapshots,
        ProcessStats? process,
        Func<string, string?> bridgeOfNetwork,
        bool disksKnown = true)
    {
        var state = stats.UInt64("state.state") is ulong s && s <= 7 ? (VmState)s : VmState.NoState;
        var graphics = config?.Graphics.FirstOrDefault();
        return new VmFacts
        {
            Name = stats.Name,
            State = state,
            // balloon.maximum is the running maximum in KiB; an inactive domain (or the test driver)
            // may not report it, and then the configured <memory> is the allocation.
            MemAllocBytes = stats.UInt64("balloon.maximum") * 1024 ?? config?.MemoryBytes ?? 0,
            Cpus = stats.UInt64("vcpu.maximum") ?? config?.Vcpus ?? 0,
            Process = process,
            HypervisorRssBytes = stats.UInt64("balloon.rss") * 1024,
            Snapshots = snapshots,
            ConsoleType = graphics?.Type ?? "",
            Console = graphics is null ? "" : ConsoleAddress(graphics),
            OsType = config?.OsId ?? "",
            Disks = disksKnown ? BuildDisks(stats, config) : [],
            Interfaces = BuildInterfaces(stats, config, bridgeOfNetwork),
            // For the Prometheus output only (docs/prometheus.md); balloon figures are KiB.
            Uuid = string.IsNullOrEmpty(config?.Uuid) ? null : config.Uuid.ToLowerInvariant(),
            StateReason = stats.UInt64("state.reason") is ulong r && r <= int.MaxValue ? (int)r : null,
            BalloonCurrentBytes = stats.UInt64("balloon.current") * 1024,
            BalloonAvailableBytes = stats.UInt64("balloon.available") * 1024,
            BalloonUnusedBytes = stats.UInt64("balloon.unused") * 1024,
            BalloonUsableBytes = stats.UInt64("balloon.usable") * 1024,
            VcpuTimes = BuildVcpus(stats),
        };
    }

    /// <summary>
    /// An active QEMU domain's record made without the domain's job: the bulk stats call does not wait for a job
    /// another client holds (NOWAIT), and libvirt then leaves out everything it would ask QEMU's monitor for: every
    /// disk's sizes and I/O counters, and the process RSS. With the job, every disk has its read counter and the RSS
    /// is there. A domain without disks loses nothing this program reports (the process figures give its RSS).
    /// </summary>
    public static bool LacksMonitorFigures(DomainStats stats)
    {
        int count = Count(stats, "block.count");
        if (count == 0 || stats.UInt64("balloon.rss") is not null)
            return false;
        for (int i = 0; i < count; i++)
        {
            var k = StatKeys.Block(i);
            if (stats.UInt64(k.RdReqs) is not null || stats.UInt64(k.Capacity) is not null)
                return false;
        }
        return true;
    }

    /// <summary>A count libvirt gives (block.count, net.count, vcpu.current), bounded (4096) so a hostile or damaged record cannot make a loop run billions of times.</summary>
    private static int Count(DomainStats stats, string key) => (int)Math.Min(stats.UInt64OrZero(key), 4096);

    /// <summary>vcpu.N.time/wait, present only when the VCPU stats group was asked for (the Prometheus outputs).</summary>
    private static List<VcpuFacts> BuildVcpus(DomainStats stats)
    {
        var result = new List<VcpuFacts>();
        int count = Count(stats, "vcpu.current");
        for (int i = 0; i < count; i++)
        {
            string p = "vcpu." + i.ToString(CultureInfo.InvariantCulture) + ".";
            ulong? time = stats.UInt64(p + "time"), wait = stats.UInt64(p + "wait");
            if (time is not null || wait is not null)
                result.Add(new VcpuFacts(i, time, wait));
        }
        return result;
    }

    /// <summary>Nanoseconds to milliseconds with the fraction kept (exact for any count below 2^53 ns, 104 days).</summary>
    internal static double NsToMs(ulong ns) => (double)(decimal.Divide(ns, 1_000_000m));

    /// <summary><c>listen:port</c> for VNC/SPICE; the socket path for a UNIX-socket listener; "" when not listening.</summary>
    internal static string ConsoleAddress(GraphicsConfig g)
    {
        if (g.Port is int port)
            return (g.Listen ?? "") + ":" + port.ToString(CultureInfo.InvariantCulture);
        return g.Socket ?? "";
    }

    private static List<DiskFacts> BuildDisks(DomainStats stats, DomainConfig? config)
    {
        var disks = new List<DiskFacts>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int count = Count(stats, "block.count");
        for (int i = 0; i < count; i++)
        {
            var k = StatKeys.Block(i);
            var target = stats.Text(k.Name);
            if (string.IsNullOrEmpty(target) || !seen.Add(target))
                continue;
            var path = stats.Text(k.Path) ?? config?.Disks.FirstOrDefault(d => d.Target == target)?.SourcePath;
            disks.Add(new DiskFacts(target, path)
            {
                Alloc = stats.UInt64OrZero(k.Capacity),
                InUse = stats.UInt64OrZero(k.Allocation),
                OnDisk = stats.UInt64OrZero(k.Physical),
                Rbytes = stats.UInt64OrZero(k.RdBytes),
                Rreqs = stats.UInt64OrZero(k.RdReqs),
                Rtime = NsToMs(stats.UInt64OrZero(k.RdTimes)),
                Wbytes = stats.UInt64OrZero(k.WrBytes),
                Wreqs = stats.UInt64OrZero(k.WrReqs),
                Wtime = NsToMs(stats.UInt64OrZero(k.WrTimes)),
                Freqs = stats.UInt64OrZero(k.FlReqs),
                Ftime = NsToMs(stats.UInt64OrZero(k.FlTimes)),
            });
        }
        // Disks the stats did not cover (inactive domain, a driver without block stats) still exist: list them with zeros.
        if (config is not null)
        {
            foreach (var disk in config.Disks)
            {
                if (seen.Add(disk.Target))
                    disks.Add(new DiskFacts(disk.Target, disk.SourcePath));
            }
        }
        return disks;
    }

    private static List<InterfaceFacts> BuildInterfaces(DomainStats stats, DomainConfig? config, Func<string, string?> bridgeOfNetwork)
    {
        // Counters by host-side device name (net.N.name = <target dev=...>).
        var countersByDevice = new Dictionary<string, NetKeys>(StringComparer.Ordinal);
        var statsOrder = new List<string>();
        int count = Count(stats, "net.count");
        for (int i = 0; i < count; i++)
        {
            var k = StatKeys.Net(i);
            if (stats.Text(k.Name) is { Length: > 0 } dev && countersByDevice.TryAdd(dev, k))
                statsOrder.Add(dev);
        }

        var result = new List<InterfaceFacts>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        // The XML lists interfaces in the same order as the stats (libvirt walks the same device list),
        // and it also knows interfaces without counters (inactive domain, user-mode NIC).
        foreach (var nic in config?.Interfaces ?? [])
        {
            var entry = new InterfaceFacts
            {
                If = nic.TargetDevice ?? "",
                Mac = nic.Mac,
                Parent = ParentOf(nic, bridgeOfNetwork),
            };
            if (nic.TargetDevice is { } dev && countersByDevice.TryGetValue(dev, out var keys) && used.Add(dev))
                entry = WithCounters(entry, stats, keys);
            result.Add(entry);
        }
        foreach (var dev in statsOrder)
        {
            if (used.Contains(dev))
                continue;
            result.Add(WithCounters(new InterfaceFacts { If = dev }, stats, countersByDevice[dev]));
        }
        return result;
    }

    private static string ParentOf(InterfaceConfig nic, Func<string, string?> bridgeOfNetwork) => nic.Type switch
    {
        "bridge" => nic.SourceBridge ?? "",
        // A running domain's live XML names the network's bridge; otherwise ask the network.
        "network" => nic.SourceBridge ?? (nic.SourceNetwork is { } net ? bridgeOfNetwork(net) ?? "" : ""),
        "direct" => nic.SourceDevice ?? "",
        _ => nic.SourceBridge ?? nic.SourceDevice ?? "",
    };

    private static InterfaceFacts WithCounters(InterfaceFacts nic, DomainStats stats, NetKeys k) => nic with
    {
        Ibytes = stats.UInt64OrZero(k.RxBytes),
        Ipkts = stats.UInt64OrZero(k.RxPkts),
        Ierrs = stats.UInt64OrZero(k.RxErrs),
        Idrop = stats.UInt64OrZero(k.RxDrop),
        Obytes = stats.UInt64OrZero(k.TxBytes),
        Opkts = stats.UInt64OrZero(k.TxPkts),
        Oerrs = stats.UInt64OrZero(k.TxErrs),
        Odrop = stats.UInt64OrZero(k.TxDrop),
    };
}
