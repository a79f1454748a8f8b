using HvMonitor.Shared.Cbsd;

namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>One CBSD snapshot: whose it is and its ZFS <c>refer</c> size in bytes.</summary>
public sealed record SnapshotRow(string VmName, string SnapName, ulong ReferBytes);

/// <summary>
/// <c>cbsd jsnapshot mode=list header=0 display=jname,snapname,creation,refer</c>: without <c>jname=</c>, every
/// snapshot on the host that CBSD labelled (<c>cbsdsnap:jname</c>), jails' and VMs' alike, in one process:
/// <code>
/// emby          20211003         2021-10-03__12:18  2.45G
/// </code>
/// refer is ZFS's 1024-based human size (<c>773K</c>, <c>1.39M</c>, <c>0B</c>). CBSD prints its failures
/// (<c>jsnapshot: ufs not implemented</c>) as a line of the table: rejected, never counted. Pure.
/// </summary>
public static class SnapshotListParser
{
    public static readonly string[] Display = ["jname", "snapname", "creation", "refer"];

    /// <summary>CBSD before 2017 printed USED where today it prints REFER.</summary>
    private static readonly Dictionary<string, string> OldHeaderNames = new() { ["used"] = "refer" };

    public static (IReadOnlyList<SnapshotRow> Rows, IReadOnlyList<string> Rejected) Parse(string text)
    {
        var table = CbsdTableParser.Parse(text, Display, null,
            r => r.Cells.ContainsKey("refer") && SizeNotation.ParseHuman(r["refer"]) is not null
                 && (!r.Cells.TryGetValue("creation", out var c) || c.Contains("__", StringComparison.Ordinal)),
            OldHeaderNames);
        var rows = table.Rows.Select(r => new SnapshotRow(r["jname"], r.Cells.GetValueOrDefault("snapname") ?? "", SizeNotation.ParseHuman(r["refer"])!.Value)).ToList();
        return (rows, table.RejectedLines);
    }
}
