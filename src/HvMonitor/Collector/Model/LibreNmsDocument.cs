using System.Text.Json.Serialization;

namespace HvMonitor.Collector.Model;

/// <summary>
/// LibreNMS's JSON application envelope. All four keys are required by LibreNMS's json_app_get.
/// A non-zero <see cref="Error"/> makes LibreNMS throw the whole sample away (and still show the app as OK),
/// so it is used only when nothing usable was collected; per-VM problems go into <see cref="ErrorString"/>
/// with error 0 (the collection's outcome, App/CollectionRun).
/// </summary>
public sealed class Envelope
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("version")] public int Version { get; init; } = CurrentVersion;
    [JsonPropertyName("error")] public int Error { get; init; }
    [JsonPropertyName("errorString")] public string ErrorString { get; init; } = "";
    [JsonPropertyName("data")] public HvData Data { get; init; } = new();
}

/// <summary>Envelope error codes, as the Perl HV::Monitor used them; only ever set when no VM could be reported.</summary>
public static class ErrorCodes
{
    public const int None = 0;
    /// <summary>The backend could not be loaded (library missing, wrong OS).</summary>
    public const int BackendUnavailable = 1;
    /// <summary>The backend was loaded but querying the hypervisor failed.</summary>
    public const int BackendFailed = 2;
    /// <summary>The command line could not be understood.</summary>
    public const int Usage = 3;
}

public sealed class HvData
{
    /// <summary>"libvirt" or "CBSD": LibreNMS's page branches on it.</summary>
    [JsonPropertyName("hv")] public string Hv { get; init; } = "";
    [JsonPropertyName("VMs")] public SortedDictionary<string, VmEntry> VMs { get; init; } = new(StringComparer.Ordinal);
    [JsonPropertyName("totals")] public Totals Totals { get; init; } = new();
}

/// <summary>
/// Counters shared by a VM, its disks' sums and the totals: block I/O. The times are milliseconds with a
/// fraction (libvirt's nanoseconds ÷ 10⁶, as the Perl tool emits them): LibreNMS stores them as DDERIVE,
/// which takes decimals. Everything else is a whole number (DERIVE or GAUGE).
/// </summary>
public interface IBlockCounters
{
    ulong Rbytes { get; set; }
    ulong Rreqs { get; set; }
    double Rtime { get; set; }
    ulong Wbytes { get; set; }
    ulong Wreqs { get; set; }
    double Wtime { get; set; }
    ulong Freqs { get; set; }
    double Ftime { get; set; }
}

/// <summary>Counters shared by a VM, its interfaces' sums and the totals: network I/O.</summary>
public interface INetCounters
{
    ulong Ipkts { get; set; }
    ulong Ierrs { get; set; }
    ulong Ibytes { get; set; }
    ulong Idrop { get; set; }
    ulong Opkts { get; set; }
    ulong Oerrs { get; set; }
    ulong Obytes { get; set; }
    ulong Odrop { get; set; }
    ulong Coll { get; set; }
}

/// <summary>One disk (data.VMs.NAME.disks.TARGET). Sizes in bytes, times in milliseconds.</summary>
public sealed class DiskEntry : IBlockCounters
{
    [JsonPropertyName("alloc")] public ulong Alloc { get; set; }
    [JsonPropertyName("in_use")] public ulong InUse { get; set; }
    [JsonPropertyName("on_disk")] public ulong OnDisk { get; set; }
    [JsonPropertyName("rbytes")] public ulong Rbytes { get; set; }
    [JsonPropertyName("rreqs")] public ulong Rreqs { get; set; }
    [JsonPropertyName("rtime")] public double Rtime { get; set; }
    [JsonPropertyName("wbytes")] public ulong Wbytes { get; set; }
    [JsonPropertyName("wreqs")] public ulong Wreqs { get; set; }
    [JsonPropertyName("wtime")] public double Wtime { get; set; }
    [JsonPropertyName("freqs")] public ulong Freqs { get; set; }
    [JsonPropertyName("ftime")] public double Ftime { get; set; }
}

/// <summary>One interface (data.VMs.NAME.ifs.nicN).</summary>
public sealed class InterfaceEntry : INetCounters
{
    /// <summary>Host-side device, e.g. vnet0.</summary>
    [JsonPropertyName("if")] public string If { get; set; } = "";
    [JsonPropertyName("mac")] public string Mac { get; set; } = "";
    /// <summary>The bridge (or other device) the interface sits on.</summary>
    [JsonPropertyName("parent")] public string Parent { get; set; } = "";
    [JsonPropertyName("ipkts")] public ulong Ipkts { get; set; }
    [JsonPropertyName("ierrs")] public ulong Ierrs { get; set; }
    [JsonPropertyName("ibytes")] public ulong Ibytes { get; set; }
    [JsonPropertyName("idrop")] public ulong Idrop { get; set; }
    [JsonPropertyName("opkts")] public ulong Opkts { get; set; }
    [JsonPropertyName("oerrs")] public ulong Oerrs { get; set; }
    [JsonPropertyName("obytes")] public ulong Obytes { get; set; }
    [JsonPropertyName("odrop")] public ulong Odrop { get; set; }
    [JsonPropertyName("coll")] public ulong Coll { get; set; }
}

/// <summary>
/// The numbers that are summed from VMs into the totals. Both <see cref="VmEntry"/> and <see cref="Totals"/> carry
/// them, so that a field of the one is the same field of the other: <see cref="HvDataBuilder"/> adds them one by one.
/// </summary>
public abstract class SummedStats : IBlockCounters, INetCounters
{
    [JsonPropertyName("mem_alloc")] public ulong MemAlloc { get; set; }
    [JsonPropertyName("cpus")] public ulong Cpus { get; set; }
    [JsonPropertyName("pcpu")] public double Pcpu { get; set; }
    [JsonPropertyName("pmem")] public double Pmem { get; set; }
    [JsonPropertyName("etimes")] public ulong Etimes { get; set; }
    [JsonPropertyName("vsz")] public ulong Vsz { get; set; }
    [JsonPropertyName("rss")] public ulong Rss { get; set; }
    [JsonPropertyName("majflt")] public ulong Majflt { get; set; }
    [JsonPropertyName("minflt")] public ulong Minflt { get; set; }
    [JsonPropertyName("usertime")] public double Usertime { get; set; }
    [JsonPropertyName("systime")] public double Systime { get; set; }
    [JsonPropertyName("nvcsw")] public ulong Nvcsw { get; set; }
    [JsonPropertyName("nivcsw")] public ulong Nivcsw { get; set; }
    [JsonPropertyName("cow")] public ulong Cow { get; set; }
    [JsonPropertyName("nswap")] public ulong Nswap { get; set; }
    [JsonPropertyName("inblk")] public ulong Inblk { get; set; }
    [JsonPropertyName("oublk")] public ulong Oublk { get; set; }
    [JsonPropertyName("snaps")] public ulong Snaps { get; set; }
    [JsonPropertyName("snaps_size")] public ulong SnapsSize { get; set; }
    [JsonPropertyName("disk_alloc")] public ulong DiskAlloc { get; set; }
    [JsonPropertyName("disk_in_use")] public ulong DiskInUse { get; set; }
    [JsonPropertyName("disk_on_disk")] public ulong DiskOnDisk { get; set; }
    [JsonPropertyName("rbytes")] public ulong Rbytes { get; set; }
    [JsonPropertyName("rreqs")] public ulong Rreqs { get; set; }
    [JsonPropertyName("rtime")] public double Rtime { get; set; }
    [JsonPropertyName("wbytes")] public ulong Wbytes { get; set; }
    [JsonPropertyName("wreqs")] public ulong Wreqs { get; set; }
    [JsonPropertyName("wtime")] public double Wtime { get; set; }
    [JsonPropertyName("freqs")] public ulong Freqs { get; set; }
    [JsonPropertyName("ftime")] public double Ftime { get; set; }
    [JsonPropertyName("ipkts")] public ulong Ipkts { get; set; }
    [JsonPropertyName("ierrs")] public ulong Ierrs { get; set; }
    [JsonPropertyName("ibytes")] public ulong Ibytes { get; set; }
    [JsonPropertyName("idrop")] public ulong Idrop { get; set; }
    [JsonPropertyName("opkts")] public ulong Opkts { get; set; }
    [JsonPropertyName("oerrs")] public ulong Oerrs { get; set; }
    [JsonPropertyName("obytes")] public ulong Obytes { get; set; }
    [JsonPropertyName("odrop")] public ulong Odrop { get; set; }
    [JsonPropertyName("coll")] public ulong Coll { get; set; }
}

/// <summary>One VM (data.VMs.NAME). mem_alloc, rss and vsz are bytes; usertime/systime seconds.</summary>
public sealed class VmEntry : SummedStats
{
    [JsonPropertyName("status_int")] public int StatusInt { get; set; }
    [JsonPropertyName("pri")] public long Pri { get; set; }
    [JsonPropertyName("nice")] public long Nice { get; set; }
    [JsonPropertyName("os_type")] public string OsType { get; set; } = "";
    [JsonPropertyName("ip")] public string Ip { get; set; } = "";
    [JsonPropertyName("console_type")] public string ConsoleType { get; set; } = "";
    [JsonPropertyName("console")] public string Console { get; set; } = "";
    [JsonPropertyOrder(1), JsonPropertyName("disks")] public SortedDictionary<string, DiskEntry> Disks { get; set; } = new(StringComparer.Ordinal);
    [JsonPropertyOrder(1), JsonPropertyName("ifs")] public SortedDictionary<string, InterfaceEntry> Ifs { get; set; } = new(NicKeyComparer.Instance);
}

/// <summary>data.totals: sums over all VMs plus a count of VMs per state.</summary>
public sealed class Totals : SummedStats
{
    [JsonPropertyName("nostate")] public ulong Nostate { get; set; }
    [JsonPropertyName("on")] public ulong On { get; set; }
    [JsonPropertyName("blocked")] public ulong Blocked { get; set; }
    [JsonPropertyName("paused")] public ulong Paused { get; set; }
    [JsonPropertyName("off_soft")] public ulong OffSoft { get; set; }
    [JsonPropertyName("off_hard")] public ulong OffHard { get; set; }
    [JsonPropertyName("crashed")] public ulong Crashed { get; set; }
    [JsonPropertyName("pmsuspended")] public ulong Pmsuspended { get; set; }
    [JsonPropertyName("off")] public ulong Off { get; set; }
    [JsonPropertyName("unknown")] public ulong Unknown { get; set; }
}

/// <summary>Orders nic2 before nic10, so the JSON reads in interface order.</summary>
public sealed class NicKeyComparer : IComparer<string>
{
    public static readonly NicKeyComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is not null && y is not null && x.Length != y.Length
            && x.StartsWith("nic", StringComparison.Ordinal) && y.StartsWith("nic", StringComparison.Ordinal))
            return x.Length.CompareTo(y.Length);
        return string.CompareOrdinal(x, y);
    }
}
