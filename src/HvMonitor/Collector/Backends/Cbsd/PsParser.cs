using System.Globalization;
using HvMonitor.Collector.Facts;
using HvMonitor.Shared.Cbsd;

namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>One process from FreeBSD's ps: its pid, its figures, and its command (to check it is the VM's bhyve).</summary>
public sealed record PsRow(int Pid, ProcessStats Stats, string Args)
{
    /// <summary>
    /// True when this is bhyve running VM <paramref name="vmName"/>: bhyve sets its title to the VM name
    /// (<c>bhyve: debian12 (bhyve)</c>), and a bhyve without a title still has the name as its last argument.
    /// </summary>
    public bool IsBhyveOf(string vmName)
    {
        var words = CbsdTableParser.SplitCells(Args);
        if (words.Length == 0)
            return false;
        string program = words[0];
        bool bhyve = program == "bhyve:" || program == "bhyve" || program.EndsWith("/bhyve", StringComparison.Ordinal);
        return bhyve && words.Skip(1).Contains(vmName, StringComparer.Ordinal);
    }
}

/// <summary>
/// <c>ps -ww -S -o pid,etimes,%mem,cow,majflt,minflt,nice,nivcsw,nswap,nvcsw,inblk,oublk,pri,rss,systime,usertime,vsz,args -p PID,PID...</c>:
/// <code>
///   PID ELAPSED %MEM  COW MAJFLT  MINFLT NI  NIVCSW NSWAP    NVCSW INBLK OUBLK PRI     RSS   SYSTIME   USERTIME     VSZ COMMAND
/// 48213  412730  1.6 1184    317 1051244  1 5231187     0 92817265  1021     0  52 1082304 613:05.27 1452:48.90 4223540 bhyve: debian12 (bhyve)
/// </code>
/// Right-aligned columns whose widths depend on every listed process: split on blanks. rss and vsz are KiB;
/// systime/usertime are <c>minutes:SS.cc</c> (minutes unbounded). A ps lacking a keyword drops its column, so the
/// header must be exactly this one or nothing is read. Pure.
/// </summary>
public static class PsParser
{
    public const string Keywords = "pid,etimes,%mem,cow,majflt,minflt,nice,nivcsw,nswap,nvcsw,inblk,oublk,pri,rss,systime,usertime,vsz,args";

    public static readonly string[] Header =
        ["PID", "ELAPSED", "%MEM", "COW", "MAJFLT", "MINFLT", "NI", "NIVCSW", "NSWAP", "NVCSW", "INBLK", "OUBLK", "PRI", "RSS", "SYSTIME", "USERTIME", "VSZ", "COMMAND"];

    private const int NumberColumns = 17;

    public static (IReadOnlyDictionary<int, PsRow> Rows, IReadOnlyList<string> Rejected) Parse(string text)
    {
        var rows = new Dictionary<int, PsRow>();
        var rejected = new List<string>();
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0)
            return (rows, rejected);
        if (!CbsdTableParser.SplitCells(lines[0]).SequenceEqual(Header))
            return (rows, [.. lines.Take(1).Select(l => "unexpected ps header: " + l.Trim())]);
        foreach (var line in lines.Skip(1))
        {
            if (ParseRow(line) is { } row)
                rows.TryAdd(row.Pid, row);
            else
                rejected.Add(line.Trim());
        }
        return (rows, rejected);
    }

    private static PsRow? ParseRow(string line)
    {
        var cells = new List<string>();
        int pos = 0;
        while (cells.Count < NumberColumns)
        {
            while (pos < line.Length && char.IsWhiteSpace(line[pos]))
                pos++;
            int start = pos;
            while (pos < line.Length && !char.IsWhiteSpace(line[pos]))
                pos++;
            if (start == pos)
                return null;
            cells.Add(line[start..pos]);
        }
        string args = line[pos..].Trim();
        if (!int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            || !double.TryParse(cells[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double pmem)
            || !long.TryParse(cells[6], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long nice)
            || !long.TryParse(cells[12], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long pri)
            || ParseMinutes(cells[14]) is not double systime || ParseMinutes(cells[15]) is not double usertime)
            return null;
        int[] counters = [1, 3, 4, 5, 7, 8, 9, 10, 11, 13, 16];
        if (counters.Any(i => !CbsdNumbers.TryUInt64(cells[i], out _)))
            return null;
        ulong U(int i) => CbsdNumbers.UInt64OrZero(cells[i]);
        ulong? rss = CbsdNumbers.MultiplyOrNull(U(13), 1024), vsz = CbsdNumbers.MultiplyOrNull(U(16), 1024);
        if (rss is null || vsz is null)
            return null;
        return new PsRow(pid, new ProcessStats
        {
            Etimes = U(1),
            Pmem = pmem,
            Cow = U(3),
            Majflt = U(4),
            Minflt = U(5),
            Nice = nice,
            Nivcsw = U(7),
            Nswap = U(8),
            Nvcsw = U(9),
            Inblk = U(10),
            Oublk = U(11),
            Pri = pri,
            Rss = rss.Value,
            Systime = systime,
            Usertime = usertime,
            Vsz = vsz.Value,
        }, args);
    }

    /// <summary><c>613:05.27</c> (minutes:seconds.centiseconds) as seconds, to the centisecond.</summary>
    public static double? ParseMinutes(string text)
    {
        int colon = text.IndexOf(':');
        if (colon <= 0 || text.IndexOf(':', colon + 1) >= 0)
            return null;
        if (!ulong.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out ulong minutes)
            || !decimal.TryParse(text[(colon + 1)..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal seconds)
            || seconds >= 60)
            return null;
        return (double)Math.Round(minutes * 60m + seconds, 2);
    }
}
