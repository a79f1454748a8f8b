namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>
/// Every command the CBSD backend runs, as argv. Each is a whole-host form, so a run starts at most nine
/// processes whatever the number of VMs (docs/performance.md): CBSD's list commands without <c>jname=</c>
/// walk every VM themselves, and ps, ifconfig, netstat, zfs and sysctl take every pid, interface and pool at once.
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

    /// <summary>-p selects by pid whatever the tty (plain ps only lists processes with a terminal); -S adds reaped children's times.</summary>
    public static string[] Ps(IEnumerable<int> pids) =>
        ["ps", "-S", "-o", PsParser.Keywords, "-p", string.Join(',', pids.Order().Distinct())];

    public static readonly string[] Ifconfig = ["ifconfig"];

    /// <summary>All interfaces in one call; only their link rows are read.</summary>
    public static readonly string[] Netstat = ["netstat", "-ibdWn"];

    public static readonly string[] ZfsVolumes = ["zfs", "list", "-Hp", "-t", "volume", "-o", "name,used,volsize,refer"];

    /// <summary>Only the per-dataset kstat nodes of the pools that hold VM disks: the whole kstat.zfs tree is huge.</summary>
    public static string[] Kstats(IEnumerable<string> pools) =>
        ["sysctl", .. pools.Order(StringComparer.Ordinal).Distinct().Select(p => $"kstat.zfs.{p}.dataset")];
}
