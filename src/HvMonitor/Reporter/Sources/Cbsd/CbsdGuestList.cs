using System.Globalization;
using System.Text.RegularExpressions;

namespace HvMonitor.Reporter.Sources.Cbsd;

/// <summary>One VM as the reporter needs it: name, bhyve pid (0 when stopped), CBSD's uuid setting, status word.</summary>
public sealed record CbsdGuestRow(string Name, ulong Jid, string Uuid, string Status)
{
    /// <summary>
    /// virt-who's state number: 1 (running) for On and for a Maintenance VM whose bhyve runs (jid &gt; 0),
    /// 5 (shut off) for Off, 0 (no state) for anything else (Slave, Unknown, Unregister, stopped Maintenance).
    /// </summary>
    public int State => Status.Split(':', 2)[0] switch
    {
        "On" => 1,
        "Maintenance" when Jid > 0 => 1,
        "Off" => 5,
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
/// The status is last because a Maintenance comment may contain blanks. Colour codes are removed; a line
/// that is not a VM row (CBSD prints some errors into the table) is returned as rejected. Pure.
/// </summary>
public static partial class CbsdGuestList
{
    public static readonly string[] Command = ["cbsd", "bls", "header=0", "node=", "display=jname,jid,uuid,status", "alljails=0"];

    private static readonly string[] StatusWords = ["On", "Off", "Slave", "Unknown", "Unregister", "Maintenance"];

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    public static (IReadOnlyList<CbsdGuestRow> Rows, IReadOnlyList<string> Rejected) Parse(string text)
    {
        var rows = new List<CbsdGuestRow>();
        var rejected = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = AnsiEscape().Replace(raw, "").Trim();
            if (line.Length == 0)
                continue;
            var cells = line.Split([' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length == 4 && ulong.TryParse(cells[1], NumberStyles.None, CultureInfo.InvariantCulture, out var jid)
                && IsStatus(cells[3].Trim()))
                rows.Add(new CbsdGuestRow(cells[0], jid, cells[2], cells[3].Trim()));
            else
                rejected.Add(line);
        }
        return (rows, rejected);
    }

    private static bool IsStatus(string status)
    {
        var word = status.Split(':', 2)[0];
        return StatusWords.Contains(word, StringComparer.Ordinal) && (word == "Maintenance" || !status.Contains(' '));
    }
}
