using System.Text.RegularExpressions;
using HvMonitor.Shared.Commands;

namespace HvMonitor.Shared.Cbsd;

/// <summary>A row that fit the table, its cells by lower-case column name.</summary>
public sealed record CbsdRow(IReadOnlyDictionary<string, string> Cells)
{
    public string this[string column] => Cells[column];
}

/// <summary>The rows of one CBSD list, and the lines that were not rows (CBSD prints its errors inside the table).</summary>
public sealed record CbsdTable(IReadOnlyList<CbsdRow> Rows, IReadOnlyList<string> RejectedLines);

/// <summary>
/// Reads what CBSD's list commands print through FreeBSD's <c>column -t</c>:
/// <code>
/// ESC[0mESC[0;32mdebian12   48213  4096  1734  2  7   linux    10.0.0.21  On  127.0.0.1:5900  ESC[0m
/// </code>
/// Colour codes are stripped, then each line is split on runs of blanks (column widths depend on the longest
/// cell and on colour codes, so never on offsets). A header line (upper-case names with JNAME) sets the columns;
/// without one the columns are the <c>display=</c> list asked for. A line with too few cells or a cell that
/// fails <paramref name="accept"/> is rejected, never taken as a row. Pure.
/// </summary>
public static partial class CbsdTableParser
{
    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    private static partial Regex HeaderCell();

    /// <param name="columns">The display= columns, in order, used when the output has no header.</param>
    /// <param name="spanColumn">A column whose value may contain blanks (bls's status comment): extra cells join it.</param>
    /// <param name="aliases">Header names of older CBSD versions mapped to today's (VNC_PORT to vnc).</param>
    public static CbsdTable Parse(
        string text,
        IReadOnlyList<string> columns,
        string? spanColumn,
        Func<CbsdRow, bool> accept,
        IReadOnlyDictionary<string, string>? aliases = null)
    {
        var rows = new List<CbsdRow>();
        var rejected = new List<string>();
        IReadOnlyList<string> current = columns;
        bool headerSeen = false;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = AnsiColour.Strip(rawLine).Trim();
            // Blank lines, and lines of punctuation only (CBSD 15 prints a lone '\' before an empty table).
            if (!line.Any(char.IsLetterOrDigit))
                continue;
            var cells = SplitCells(line);
            if (!headerSeen && rows.Count == 0 && cells.All(c => HeaderCell().IsMatch(c)) && cells.Contains("JNAME"))
            {
                current = cells.Select(c => c.ToLowerInvariant()).Select(c => aliases?.GetValueOrDefault(c) ?? c).ToArray();
                headerSeen = true;
                continue;
            }
            var row = ToRow(cells, current, spanColumn);
            if (row is not null && accept(row))
                rows.Add(row);
            else
                rejected.Add(string.Join(' ', cells));
        }
        return new CbsdTable(rows, rejected);
    }

    public static string[] SplitCells(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static CbsdRow? ToRow(string[] cells, IReadOnlyList<string> columns, string? spanColumn)
    {
        if (cells.Length < columns.Count)
            return null;
        int extra = cells.Length - columns.Count;
        int span = spanColumn is null ? -1 : IndexOf(columns, spanColumn);
        if (extra > 0 && span < 0)
            return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        int c = 0;
        for (int i = 0; i < columns.Count; i++)
        {
            if (i == span && extra > 0)
            {
                map[columns[i]] = string.Join(' ', cells[c..(c + extra + 1)]);
                c += extra + 1;
            }
            else
            {
                map[columns[i]] = cells[c++];
            }
        }
        return new CbsdRow(map);
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
                return i;
        }
        return -1;
    }
}
