using HvMonitor.Shared.Cbsd;

namespace HvMonitor.Reporter.Sources.Cbsd;

/// <summary>One VM as the reporter needs it: name, bhyve pid (0 when stopped), CBSD's uuid setting, status word.</summary>
public sealed record CbsdGuestRow(string Name, ulong Jid, string Uuid, string Status)
{
    /// <summary>
    /// virt-who's state number: 1 (running) for On and for a Maintenance VM whose bhyve runs (jid &gt; 0),
    /// 5 (shut off) for Off, 0 (no state) for anything else (Slave, Unknown, Unregister, stopped Maintenance).
    /// </summary>
    public int State => CbsdStatus.Word(Status) switch
    {
        CbsdStatus.On => 1,
        CbsdStatus.Maintenance when Jid > 0 => 1,
        CbsdStatus.Off => 5,
        _ => 0,
    };
}

/// <summary>
/// <c>cbsd bls header=0 node= display=jname,jid,uuid,status alljails=0</c> (bls prints any setting of the VM
/// by name; an unset one prints 0):
/// <code>
/// debian12  48213  4c4c4544-0034-4d10-8031-b8c04f4a4e32  On
/// test1     0      0                                     Maintenance:Stopping VM
/// </code>
/// The status is last because a Maintenance comment may contain blanks. Read by the CBSD table reader both
/// programs share (colour codes, column -t spacing, a header line) with CBSD's status words; a line that is not a
/// VM row (CBSD prints some errors into the table) is returned as rejected. Pure.
/// </summary>
public static class CbsdGuestList
{
    private static readonly string[] Columns = ["jname", "jid", "uuid", "status"];

    // After Columns: static fields are initialised in order.
    public static readonly string[] Command = ["cbsd", "bls", "header=0", "node=", "display=" + string.Join(',', Columns), "alljails=0"];

    public static (IReadOnlyList<CbsdGuestRow> Rows, IReadOnlyList<string> Rejected) Parse(string text)
    {
        var table = CbsdTableParser.Parse(text, Columns, "status",
            r => CbsdNumbers.TryUInt64(r["jid"], out _) && CbsdStatus.IsStatus(r["status"]));
        var rows = table.Rows
            .Select(r => new CbsdGuestRow(r["jname"], CbsdNumbers.UInt64OrZero(r["jid"]), r["uuid"], r["status"]))
            .ToList();
        return (rows, table.RejectedLines);
    }
}
