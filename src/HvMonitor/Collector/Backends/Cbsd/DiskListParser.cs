using HvMonitor.Shared.Cbsd;

namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>One disk of one VM, as <c>bhyve-dsk-list</c> lists it.</summary>
public sealed record DiskRow(string VmName, string Path, DiskSize Size);

/// <summary>
/// <c>cbsd bhyve-dsk-list header=0 display=jname,dsk_path,dsk_size</c> (every VM, jname order):
/// <code>
/// debian12   dsk1.vhd  20g
/// test1      dsk1.vhd  1.4G/20g
/// </code>
/// Also reads the default display with its header (<c>JNAME DSK_CONTROLLER DSK_PATH DSK_SIZE ...</c>). Pure.
/// </summary>
public static class DiskListParser
{
    public static readonly string[] Display = ["jname", "dsk_path", "dsk_size"];

    public static (IReadOnlyList<DiskRow> Rows, IReadOnlyList<string> Rejected) Parse(string text)
    {
        var table = CbsdTableParser.Parse(text, Display, null, IsDiskRow);
        var rows = table.Rows.Select(r => new DiskRow(r["jname"], r["dsk_path"], SizeNotation.ParseDiskSize(r["dsk_size"]))).ToList();
        return (rows, table.RejectedLines);
    }

    private static bool IsDiskRow(CbsdRow r) =>
        r.Cells.ContainsKey("dsk_size") && r["dsk_path"] != "-"
        && (r["dsk_size"] is "0" or "-" || SizeNotation.ParseDiskSize(r["dsk_size"]).AllocBytes is not null);
}
