namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>Which zvol each VM disk is, and the disks whose candidates nothing told apart.</summary>
public sealed record ZvolMatch(
    IReadOnlyDictionary<(string Vm, string Disk), ZfsDataset> Zvols,
    IReadOnlyList<(string Vm, string Disk, IReadOnlyList<ZfsDataset> Candidates)> Undecided);

/// <summary>
/// Finds each VM disk's zvol in <c>zfs list</c>. CBSD creates a disk as <c>DATA/VM/dskN.vhd</c>, where DATA is
/// the dataset holding its jails-data directory (subr/zfs.subr: <c>zfs get -Ho value name ${jaildatadir}</c>):
/// matched on whole name components, so <c>vm1/dsk1.vhd</c> never matches <c>vm10/dsk1.vhd</c> or
/// <c>vm1/dsk1.vhd.bak</c>. A host that replicates its VM datasets to a second pool (syncoid, zrepl,
/// <c>zfs send</c> into <c>backup/...</c>) has a second zvol with the same tail; the live one is the one under
/// CBSD's DATA. That prefix is read, in this order, from CBSD's jail data directory when it was asked
/// (<paramref name="cbsdData"/> of <see cref="Match"/>), then from the disks that have a single candidate.
/// A disk neither decides stays undecided (the caller warns and leaves its ZFS figures out). Pure.
/// </summary>
public static class CbsdZvols
{
    public static ZvolMatch Match(IEnumerable<DiskRow> disks, IReadOnlyList<ZfsDataset> volumes, string? cbsdData = null)
    {
        var candidates = new List<(string Vm, string Disk, List<ZfsDataset> Matches)>();
        var seen = new HashSet<(string, string)>();
        foreach (var disk in disks)
        {
            if (seen.Add((disk.VmName, disk.Path)))
                candidates.Add((disk.VmName, disk.Path, Candidates(disk.VmName, disk.Path, volumes)));
        }
        // The prefixes the unambiguous disks show: where this host's CBSD puts its VMs.
        var shown = candidates.Where(c => c.Matches.Count == 1)
            .Select(c => PrefixOf(c.Matches[0], c.Vm, c.Disk)).ToHashSet(StringComparer.Ordinal);

        var zvols = new Dictionary<(string Vm, string Disk), ZfsDataset>();
        var undecided = new List<(string Vm, string Disk, IReadOnlyList<ZfsDataset> Candidates)>();
        foreach (var (vm, disk, matches) in candidates)
        {
            if (matches.Count == 0)
                continue;
            var chosen = matches.Count == 1 ? matches[0]
                : Single(matches, m => cbsdData is not null && PrefixOf(m, vm, disk) == cbsdData)
                  ?? Single(matches, m => shown.Contains(PrefixOf(m, vm, disk)));
            if (chosen is null)
                undecided.Add((vm, disk, matches));
            else
                zvols[(vm, disk)] = chosen;
        }
        return new ZvolMatch(zvols, undecided);
    }

    /// <summary>Every zvol named <c>.../VM/DISK</c>.</summary>
    public static List<ZfsDataset> Candidates(string vmName, string diskPath, IReadOnlyList<ZfsDataset> volumes)
    {
        string suffix = "/" + vmName + "/" + diskPath;
        return volumes.Where(v => v.Name.EndsWith(suffix, StringComparison.Ordinal)).ToList();
    }

    /// <summary><c>zroot/cbsd</c> of <c>zroot/cbsd/VM/DISK</c>.</summary>
    private static string PrefixOf(ZfsDataset zvol, string vmName, string diskPath) =>
        zvol.Name[..^(vmName.Length + diskPath.Length + 2)];

    private static ZfsDataset? Single(List<ZfsDataset> matches, Func<ZfsDataset, bool> predicate)
    {
        var found = matches.Where(predicate).ToList();
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>
    /// <c>sysrc -n cbsd_workdir</c>: CBSD's working directory, one absolute path (CBSD's own scripts read
    /// <c>cbsd_workdir</c> from rc.conf). Null for anything else. Pure.
    /// </summary>
    public static string? ParseWorkdir(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 1 && lines[0].StartsWith('/') && !lines[0].Contains(' ') ? lines[0].TrimEnd('/') : null;
    }

    /// <summary>CBSD's jail data directory in its working directory (cbsd.conf, cbsd.lua: jaildatadir = workdir/jails-data).</summary>
    public static string JailDataDir(string workdir) => workdir + "/jails-data";

    /// <summary>
    /// <c>zfs get -H -o value name DIR</c>: the dataset that holds DIR, one name. Null for anything else (a
    /// directory not on ZFS makes zfs fail, or print nothing). Pure.
    /// </summary>
    public static string? ParseDatasetName(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 1 && !lines[0].StartsWith('/') && !lines[0].Contains(' ') && !lines[0].Contains('\t') && lines[0] != "-"
            ? lines[0] : null;
    }
}
