using HvMonitor.Shared.Cbsd;

namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>The link-level counters of one interface (netstat's <c>&lt;Link#N&gt;</c> row).</summary>
public sealed record LinkCounters(ulong Ipkts, ulong Ierrs, ulong Idrop, ulong Ibytes, ulong Opkts, ulong Oerrs, ulong Obytes, ulong Coll, ulong Drop);

/// <summary>
/// <c>netstat -ibdWn</c>, every interface in one process:
/// <code>
/// Name    Mtu Network         Address                           Ipkts Ierrs Idrop      Ibytes    Opkts Oerrs      Obytes  Coll  Drop
/// tap3   1500 &lt;Link#9&gt;        58:9c:fc:10:ff:e2               1839420     0     0  2417706532  3019811     0   389147722     0    12
/// tap3      - fe80::%tap3/64  fe80::5a9c:fcff:fe10:ffe2%tap3        0     -     -           0        2     -         112     -     -
/// </code>
/// Only the link row counts: address rows repeat per-address packets and bytes, and summing them double
/// counts. Fixed widths (FreeBSD 13) and dynamic widths (14) both split on blanks; counters are taken from the
/// right, because a link row without a link address (lo0) has one cell fewer. A down interface's name ends in
/// <c>*</c>. Reads the 12-column header of netstat without <c>-d</c> too (Drop then 0). Pure.
/// </summary>
public static class NetstatParser
{
    private static readonly string[] CounterNames = ["Ipkts", "Ierrs", "Idrop", "Ibytes", "Opkts", "Oerrs", "Obytes", "Coll", "Drop"];

    public static (IReadOnlyDictionary<string, LinkCounters> Links, IReadOnlyList<string> Rejected) Parse(string text)
    {
        var links = new Dictionary<string, LinkCounters>(StringComparer.Ordinal);
        var rejected = new List<string>();
        string[]? counterColumns = null;
        foreach (var raw in text.Split('\n'))
        {
            var cells = CbsdTableParser.SplitCells(raw);
            if (cells.Length == 0)
                continue;
            if (cells[0] == "Name" && counterColumns is null)
            {
                counterColumns = cells.Length > 4 ? cells[4..] : [];
                continue;
            }
            if (counterColumns is null || cells.Length < 3)
            {
                rejected.Add(raw.Trim());
                continue;
            }
            if (!cells[2].StartsWith("<Link#", StringComparison.Ordinal))
                continue;
            if (cells.Length < 3 + counterColumns.Length || !ReadCounters(cells[^counterColumns.Length..], counterColumns, out var counters))
            {
                rejected.Add(raw.Trim());
                continue;
            }
            links.TryAdd(cells[0].TrimEnd('*'), counters);
        }
        return (links, rejected);
    }

    private static bool ReadCounters(string[] cells, string[] names, out LinkCounters counters)
    {
        var byName = new Dictionary<string, ulong>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            if (!CbsdNumbers.TryUInt64(cells[i], out var v))
            {
                counters = null!;
                return false;
            }
            byName[names[i]] = v;
        }
        ulong N(string name) => byName.GetValueOrDefault(name);
        counters = new LinkCounters(N("Ipkts"), N("Ierrs"), N("Idrop"), N("Ibytes"), N("Opkts"), N("Oerrs"), N("Obytes"), N("Coll"), N("Drop"));
        return CounterNames.Take(4).All(byName.ContainsKey);
    }
}
