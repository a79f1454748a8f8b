namespace HvMonitor.Collector.Facts;

/// <summary>Domain states as LibreNMS's hv-monitor app numbers them (0-7 are libvirt's own).</summary>
public enum VmState
{
    NoState = 0,
    Running = 1,
    Blocked = 2,
    Paused = 3,
    Shutdown = 4,
    Shutoff = 5,
    Crashed = 6,
    PmSuspended = 7,
    Off = 8,
    Maintenance = 9,
    Unknown = 10,
}

/// <summary>
/// What a backend knows about one VM's hypervisor process, measured the way procps `ps` defines it.
/// Sizes in bytes, times in seconds. Fields a platform cannot provide stay 0.
/// </summary>
public sealed record ProcessStats
{
    public double Pcpu { get; init; }
    public double Pmem { get; init; }
    public ulong Etimes { get; init; }
    public long Pri { get; init; }
    public long Nice { get; init; }
    public ulong Vsz { get; init; }
    public ulong Rss { get; init; }
    public ulong Majflt { get; init; }
    public ulong Minflt { get; init; }
    public double Usertime { get; init; }
    public double Systime { get; init; }
    public ulong Nvcsw { get; init; }
    public ulong Nivcsw { get; init; }
    public ulong Cow { get; init; }
    public ulong Nswap { get; init; }
    public ulong Inblk { get; init; }
    public ulong Oublk { get; init; }
}

/// <summary>
/// A disk as the backend sees it: its key (the target device, or CBSD's disk path), its source path, its sizes in bytes
/// and its I/O counters since the VM started (times in milliseconds with a fraction). What a backend cannot tell is 0.
/// </summary>
public sealed record DiskFacts(string Target, string? Path)
{
    /// <summary>The virtual size the guest sees.</summary>
    public ulong Alloc { get; init; }
    /// <summary>What the image holds (allocation).</summary>
    public ulong InUse { get; init; }
    /// <summary>What the image takes on the host's disk (physical).</summary>
    public ulong OnDisk { get; init; }
    public ulong Rbytes { get; init; }
    public ulong Rreqs { get; init; }
    public double Rtime { get; init; }
    public ulong Wbytes { get; init; }
    public ulong Wreqs { get; init; }
    public double Wtime { get; init; }
    public ulong Freqs { get; init; }
    public double Ftime { get; init; }

    /// <summary>ISO images are read-only media: they are left out of the VM's disk size sums.</summary>
    public bool IsIsoImage => Path is not null && Path.EndsWith(".iso", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A network interface as the backend sees it: the host-side device (e.g. vnet0; "" when it has none), its MAC, the
/// bridge or device it sits on, and its counters since the VM started, in (i) and out (o) as the hypervisor counts them
/// (libvirt's rx/tx, FreeBSD netstat's Ipkts/Opkts). What a backend cannot tell is 0 or "".
/// </summary>
public sealed record InterfaceFacts
{
    public string If { get; init; } = "";
    public string Mac { get; init; } = "";
    public string Parent { get; init; } = "";
    public ulong Ipkts { get; init; }
    public ulong Ierrs { get; init; }
    public ulong Ibytes { get; init; }
    public ulong Idrop { get; init; }
    public ulong Opkts { get; init; }
    public ulong Oerrs { get; init; }
    public ulong Obytes { get; init; }
    public ulong Odrop { get; init; }
    public ulong Coll { get; init; }
}

/// <summary>
/// Everything one backend learned about one VM: immutable, backend-neutral, and no output format's. Built by a
/// backend's pure facts builder; an output turns it into its own model (LibreNMS's: <c>Model/HvDataBuilder</c>).
/// </summary>
public sealed record VmFacts
{
    public required string Name { get; init; }
    public VmState State { get; init; }
    public ulong MemAllocBytes { get; init; }
    public ulong Cpus { get; init; }
    /// <summary>The hypervisor process; null when the VM has none (off) or it could not be read.</summary>
    public ProcessStats? Process { get; init; }
    /// <summary>Resident memory reported by the hypervisor itself; preferred over the process's.</summary>
    public ulong? HypervisorRssBytes { get; init; }
    public ulong Snapshots { get; init; }
    public ulong SnapshotsSizeBytes { get; init; }
    public string ConsoleType { get; init; } = "";
    public string Console { get; init; } = "";
    public string OsType { get; init; } = "";
    public string Ip { get; init; } = "";
    public IReadOnlyList<DiskFacts> Disks { get; init; } = [];
    /// <summary>Interfaces in the hypervisor's order: they become nic0, nic1, ...</summary>
    public IReadOnlyList<InterfaceFacts> Interfaces { get; init; } = [];

    // Facts only the Prometheus output shows (docs/prometheus.md); the LibreNMS document leaves them out.
    // null: the backend does not know (CBSD, an inactive domain, a guest without a balloon driver).

    /// <summary>The hypervisor's UUID of the VM, lower case.</summary>
    public string? Uuid { get; init; }
    /// <summary>Why the VM is in its state: libvirt's per-state reason number (state.reason).</summary>
    public int? StateReason { get; init; }
    /// <summary>Current balloon size (balloon.current), bytes.</summary>
    public ulong? BalloonCurrentBytes { get; init; }
    /// <summary>Memory the guest sees as usable in total (balloon.available), bytes.</summary>
    public ulong? BalloonAvailableBytes { get; init; }
    /// <summary>Memory the guest leaves unused (balloon.unused), bytes.</summary>
    public ulong? BalloonUnusedBytes { get; init; }
    /// <summary>Memory the guest could use without swapping (balloon.usable), bytes.</summary>
    public ulong? BalloonUsableBytes { get; init; }
    /// <summary>Per vCPU: time running and time waiting for a host CPU (vcpu.N.time/wait), when the VCPU group was asked for.</summary>
    public IReadOnlyList<VcpuFacts> VcpuTimes { get; init; } = [];
}

/// <summary>One vCPU's counters, nanoseconds; null when libvirt did not give that one.</summary>
public sealed record VcpuFacts(int Index, ulong? TimeNs, ulong? WaitNs);
