namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>
/// Every command the CBSD backend runs, as argv (docs/cbsd.md says what each prints and why it is asked so).
/// Each is a whole-host form, so a run starts at most nine processes whatever the number of VMs
/// (docs/performance.md): CBSD's list commands without <c>jname=</c> walk every VM themselves, and ps,
/// ifconfig, netstat, zfs and sysctl take every pid, interface and pool at once. Two more (sysrc, zfs get) only
/// on a host with replicated zvols that the other disks cannot tell apart.
/// </summary>
public static class CbsdCommands
{
    /// <summary>CBSD colours its output even into a pipe unless NOCOLOR is set (cbsd.conf); we strip codes anyway.</summary>
    public static readonly IReadOnlyDictionary<string, string> CbsdEnvironment = new Dictionary<string, string> { ["NOCOLOR"] = "1" };

    public static readonly string[] Bls =
        ["cbsd", "bls", "header=0", "node=", "display=" + string.Join(',', BlsParser.Display), "alljails=0"];

    public static readonly string[] DiskList = ["cbsd", "bhyve-dsk-list", "header=0", "display=" + string.Join(',', DiskListParser.Display)];

    public static readonly string[] NicList = ["cbsd", "bhyve-nic-list", "header=0", "display=" + string.Join(',', NicListParser.Display)];

    public static readonly string[] SnapshotList = ["cbsd", "jsnapshot", "mode=list", "header=0", "display=" + string.Join(',', SnapshotListParser.Display)];

    /// <summary>
    /// -p selects by pid whatever the tty (plain ps only lists processes with a terminal); -S adds reaped
    /// children's times. -ww: FreeBSD's ps cuts its last column (args, which names the VM) to COLUMNS when that
    /// is set, even into a pipe; a second -w makes the width unlimited whatever COLUMNS says (bin/ps/ps.c reads
    /// COLUMNS first, then each -w; ps(1): "more than once ... as many columns as necessary"). The runner also
    /// starts ps without the caller's environment, so COLUMNS never reaches it; -ww keeps that true on its own.
    /// </summary>
    public static string[] Ps(IEnumerable<int> pids) =>
        ["ps", "-ww", "-S", "-o", PsParser.Keywords, "-p", string.Join(',', pids.Order().Distinct())];

    public static readonly string[] Ifconfig = ["ifconfig"];

    /// <summary>All interfaces in one call; only their link rows are read.</summary>
    public static readonly string[] Netstat = ["netstat", "-ibdWn"];

    public static readonly string[] ZfsVolumes = ["zfs", "list", "-Hp", "-t", "volume", "-o", "name,used,volsize,refer"];

    /// <summary>
    /// CBSD's working directory, asked only when replicated zvols need telling apart. CBSD's scripts take it
    /// from <c>cbsd_workdir</c> in rc.conf; sysrc reads rc.conf the way rc(8) does.
    /// </summary>
    public static readonly string[] Workdir = ["sysrc", "-n", "cbsd_workdir"];

    /// <summary>The dataset holding a directory: CBSD's own way to find its DATA dataset (subr/zfs.subr).</summary>
    public static string[] DatasetOf(string directory) => ["zfs", "get", "-H", "-o", "value", "name", directory];

    /// <summary>Only the per-dataset kstat nodes of the pools that hold VM disks: the whole kstat.zfs tree is huge.</summary>
    public static string[] Kstats(IEnumerable<string> pools) =>
        ["sysctl", .. pools.Order(StringComparer.Ordinal).Distinct().Select(p => $"kstat.zfs.{p}.dataset")];
}
