using HvMonitor.Shared.Cbsd;

namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>One NIC of one VM; <see cref="Index"/> is N of nicN (table order, as CBSD numbers the taps' descriptions).</summary>
public sealed record NicRow(string VmName, int Index, string Parent, string Mac);

/// <summary>
/// <c>cbsd bhyve-nic-list header=0 display=jname,nic_parent,nic_hwaddr</c>: without <c>jname=</c> CBSD lists every
/// bhyve VM's NICs (its loop walks all VMs of the jails table), so one process serves the whole host:
/// <code>
/// debian12   auto      00:a0:98:5b:1c:0e
/// debian12   bridge1   00:a0:98:f3:44:a9
/// </code>
/// The MAC is <c>0</c> until a VM's first start: reported blank. Pure.
/// </summary>
public static class NicListParser
{
    public static readonly string[] Display = ["jname", "nic_parent", "nic_hwaddr"];

    public static (IReadOnlyList<NicRow> Rows, IReadOnlyList<string> Rejected) Parse(string text)
    {
        var table = CbsdTableParser.Parse(text, Display, null, r => r.Cells.ContainsKey("nic_hwaddr") && IsMacOrNone(r["nic_hwaddr"]));
        var next = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<NicRow>();
        foreach (var r in table.Rows)
        {
            string vm = r["jname"];
            int index = next.GetValueOrDefault(vm);
            next[vm] = index + 1;
            string mac = r["nic_hwaddr"] is "0" or "-" ? "" : r["nic_hwaddr"];
            string parent = r.Cells.TryGetValue("nic_parent", out var p) && p != "-" ? p : "";
            rows.Add(new NicRow(vm, index, parent, mac));
        }
        return (rows, table.RejectedLines);
    }

    private static bool IsMacOrNone(string cell) =>
        cell is "0" or "-" || (cell.Length == 17 && cell.Split(':') is { Length: 6 } parts && parts.All(p => p.Length == 2 && p.All(char.IsAsciiHexDigit)));
}
