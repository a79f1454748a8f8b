using HvMonitor.Collector.Facts;
using HvMonitor.Shared.Cbsd;

namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>One VM as <c>cbsd bls</c> lists it. Sizes in MiB as printed; <see cref="Jid"/> is the bhyve pid (0 when stopped).</summary>
public sealed record BlsRow(
    string Name,
    ulong Jid,
    ulong RamMiB,
    ulong CurMemMiB,
    ulong Cpus,
    ulong Pcpu,
    string OsType,
    string Ip4,
    string Status,
    string Vnc)
{
    /// <summary>CBSD's status word as LibreNMS's state numbers: On 1, Off 8, Maintenance[:comment] 9, anything else 10.</summary>
    public VmState State => BlsParser.StateOf(Status);

    /// <summary>
    /// The bhyve pid, or null. CBSD shows jid <c>1</c> when /dev/vmm has the VM but its SQL jid is unknown
    /// (rcconf.subr's work-around): pid 1 is init, never a VM's bhyve.
    /// </summary>
    public int? Pid => Jid > 1 && Jid <= int.MaxValue ? (int)Jid : null;
}

/// <summary>
/// <c>cbsd bls header=0 node= display=jname,jid,vm_ram,vm_curmem,vm_cpus,pcpu,vm_os_type,ip4_addr,status,vnc alljails=0</c>:
/// <code>
/// debian12   48213  4096  1734  2  7   linux    10.0.0.21  On                       127.0.0.1:5900
/// test1      0      1024  0     1  0   freebsd  0          Maintenance:Stopping_VM  127.0.0.1:0
/// </code>
/// A status comment may contain blanks (<c>cbsd bswmode comment='...'</c>): everything between ip4_addr and the
/// last cell is the status. Error text CBSD prints into the table is rejected, not read as a VM. Pure.
/// </summary>
public static class BlsParser
{
    public static readonly string[] Display = ["jname", "jid", "vm_ram", "vm_curmem", "vm_cpus", "pcpu", "vm_os_type", "ip4_addr", "status", "vnc"];

    private static readonly Dictionary<string, string> OldHeaderNames = new() { ["vnc_port"] = "vnc" };

    public static (IReadOnlyList<BlsRow> Rows, IReadOnlyList<string> Rejected) Parse(string text)
    {
        var table = CbsdTableParser.Parse(text, Display, "status", IsVmRow, OldHeaderNames);
        var rows = table.Rows.Select(r => new BlsRow(
            r["jname"],
            CbsdNumbers.UInt64OrZero(r["jid"]),
            CbsdNumbers.UInt64OrZero(r["vm_ram"]),
            CbsdNumbers.UInt64OrZero(r["vm_curmem"]),
            CbsdNumbers.UInt64OrZero(r["vm_cpus"]),
            CbsdNumbers.UInt64OrZero(r["pcpu"]),
            Dash(r["vm_os_type"]),
            r["ip4_addr"],
            r["status"],
            r["vnc"])).ToList();
        return (rows, table.RejectedLines);
    }

    private static bool IsVmRow(CbsdRow r) =>
        r.Cells.ContainsKey("vnc")
        && CbsdNumbers.TryUInt64(r["jid"], out _)
        && CbsdNumbers.TryUInt64(r["vm_ram"], out _)
        && CbsdNumbers.IsNumberOrDash(r["vm_curmem"])
        && CbsdNumbers.IsNumberOrDash(r["vm_cpus"])
        && CbsdNumbers.IsNumberOrDash(r["pcpu"])
        && CbsdStatus.IsStatus(r["status"]);

    public static VmState StateOf(string status) => CbsdStatus.Word(status) switch
    {
        CbsdStatus.On => VmState.Running,
        CbsdStatus.Off => VmState.Off,
        CbsdStatus.Maintenance => VmState.Maintenance,
        _ => VmState.Unknown,
    };

    /// <summary>ip4_addr as reported: an address (or list) or DHCP; blank for CBSD's "none" values 0, Unk and -.</summary>
    public static string Ip(string ip4) => ip4 is "0" or "Unk" or "-" ? "" : ip4;

    /// <summary>The VNC console <c>bind:port</c>; blank when there is none (port 0, or a bare 0 or -).</summary>
    public static string Console(string vnc)
    {
        int colon = vnc.LastIndexOf(':');
        if (colon < 0)
            return "";
        string port = vnc[(colon + 1)..];
        return port.Length == 0 || port.All(c => c == '0') || !CbsdNumbers.TryUInt64(port, out _) ? "" : vnc;
    }

    private static string Dash(string cell) => cell == "-" ? "" : cell;
}
