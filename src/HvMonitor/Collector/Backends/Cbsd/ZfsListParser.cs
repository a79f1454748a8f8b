using HvMonitor.Shared.Cbsd;

namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>A ZFS dataset's exact sizes in bytes; <see cref="VolsizeBytes"/> only for a volume.</summary>
public sealed record ZfsDataset(string Name, ulong UsedBytes, ulong ReferBytes, ulong? VolsizeBytes);

/// <summary>
/// <c>zfs list -Hp -t volume -o name,used,volsize,refer</c>: TAB-separated exact bytes, no header:
/// <code>
/// zroot/cbsd/debian12/dsk1.vhd	21474869248	21474836480	9120022528
/// </code>
/// Also reads <c>zfs list -p</c>'s aligned table (header <c>NAME USED AVAIL REFER MOUNTPOINT</c>). Pure.
/// </summary>
public static class ZfsListParser
{
    public static (IReadOnlyList<ZfsDataset> Datasets, IReadOnlyList<string> Rejected) Parse(string text)
    {
        var datasets = new List<ZfsDataset>();
        var rejected = new List<string>();
        string[]? header = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
                continue;
            if (header is null && datasets.Count == 0 && line.StartsWith("NAME ", StringComparison.Ordinal))
            {
                header = CbsdTableParser.SplitCells(line);
                continue;
            }
            var parsed = header is null ? FromTabs(line) : FromAligned(line, header);
            if (parsed is null)
                rejected.Add(line);
            else
                datasets.Add(parsed);
        }
        return (datasets, rejected);
    }

    private static ZfsDataset? FromTabs(string line)
    {
        var f = line.Split('\t');
        if (f.Length != 4 || f[0].Length == 0 || !CbsdNumbers.TryUInt64(f[1], out var used) || !CbsdNumbers.TryUInt64(f[3], out var refer))
            return null;
        return new ZfsDataset(f[0], used, refer, CbsdNumbers.UInt64OrNull(f[2]));
    }

    private static ZfsDataset? FromAligned(string line, string[] header)
    {
        // NAME cannot contain blanks in CBSD's datasets; MOUNTPOINT (last) may.
        var cells = line.Split((char[]?)null, header.Length, StringSplitOptions.RemoveEmptyEntries);
        int used = Array.IndexOf(header, "USED"), refer = Array.IndexOf(header, "REFER"), volsize = Array.IndexOf(header, "VOLSIZE");
        if (cells.Length < header.Length - 1 || used < 0 || refer < 0 || refer >= cells.Length
            || !CbsdNumbers.TryUInt64(cells[used], out var u) || !CbsdNumbers.TryUInt64(cells[refer], out var r))
            return null;
        return new ZfsDataset(cells[0], u, r, volsize >= 0 && volsize < cells.Length ? CbsdNumbers.UInt64OrNull(cells[volsize]) : null);
    }
}
