using System.Text;

namespace HvMonitor.Tests.Properties;

/// <summary>
/// Damages one file of a recorded host the ways real input goes wrong: cut short, emptied, a line lost or
/// doubled, a number far out of range, stray bytes (NUL, invalid UTF-8, control characters), the header gone, a
/// line a few megabytes long. Deterministic for a given <see cref="Random"/>.
/// </summary>
public static class SampleMutator
{
    public static readonly string[] Kinds =
    [
        "truncate", "empty", "drop-line", "double-line", "huge-number", "negative-number", "word-for-number",
        "stray-bytes", "no-header", "long-line", "swap-lines", "drop-body",
    ];

    /// <summary>Applies one mutation of <paramref name="kind"/> to <paramref name="path"/>; returns a description for failure messages.</summary>
    public static string Apply(string path, string kind, Random random)
    {
        var bytes = File.ReadAllBytes(path);
        var lines = Encoding.UTF8.GetString(bytes).Split('\n').ToList();
        int Body() => lines.Count <= 1 ? 0 : random.Next(1, lines.Count);
        byte[] result;
        string what;
        switch (kind)
        {
            case "truncate":
                int at = bytes.Length == 0 ? 0 : random.Next(bytes.Length);
                result = bytes[..at];
                what = $"cut at byte {at}";
                break;
            case "empty":
                result = [];
                what = "emptied";
                break;
            case "drop-line":
                int drop = Body();
                what = $"line {drop} removed";
                if (lines.Count > 0)
                    lines.RemoveAt(drop);
                result = Encoding.UTF8.GetBytes(string.Join('\n', lines));
                break;
            case "double-line":
                int twice = Body();
                what = $"line {twice} doubled";
                if (lines.Count > 0)
                    lines.Insert(twice, lines[twice]);
                result = Encoding.UTF8.GetBytes(string.Join('\n', lines));
                break;
            case "huge-number":
            case "negative-number":
            case "word-for-number":
                var replacement = kind switch
                {
                    "huge-number" => random.Next(3) switch { 0 => new string('9', 5000), 1 => "18446744073709551616", _ => "9223372036854775808" },
                    "negative-number" => "-" + random.Next(1, 1 << 30),
                    _ => random.Next(3) switch { 0 => "NaN", 1 => "1e400", _ => "x" },
                };
                (result, what) = ReplaceANumber(bytes, replacement, random);
                break;
            case "stray-bytes":
                int pos = bytes.Length == 0 ? 0 : random.Next(bytes.Length);
                byte[] stray = random.Next(4) switch { 0 => [0], 1 => [0xff, 0xfe], 2 => [0x1b, (byte)'[', (byte)'3', (byte)'1', (byte)'m'], _ => [(byte)'"', (byte)'\\', (byte)'\t'] };
                result = [.. bytes[..pos], .. stray, .. bytes[pos..]];
                what = $"{Convert.ToHexString(stray)} inserted at byte {pos}";
                break;
            case "no-header":
                what = "first line removed";
                if (lines.Count > 0)
                    lines.RemoveAt(0);
                result = Encoding.UTF8.GetBytes(string.Join('\n', lines));
                break;
            case "long-line":
                int where = Body();
                what = $"a 3 MB line inserted at line {where}";
                lines.Insert(where, new string('7', 3 << 20));
                result = Encoding.UTF8.GetBytes(string.Join('\n', lines));
                break;
            case "swap-lines":
                int a = Body(), b = Body();
                what = $"lines {a} and {b} swapped";
                if (lines.Count > 0)
                    (lines[a], lines[b]) = (lines[b], lines[a]);
                result = Encoding.UTF8.GetBytes(string.Join('\n', lines));
                break;
            case "drop-body":
                what = "everything after the command line removed";
                result = Encoding.UTF8.GetBytes(lines.Count > 0 ? lines[0] + "\n" : "");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
        File.WriteAllBytes(path, result);
        return $"{Path.GetFileName(path)}: {kind}: {what}";
    }

    /// <summary>Replaces one run of digits after the command line (chosen at random) by <paramref name="replacement"/>.</summary>
    private static (byte[], string) ReplaceANumber(byte[] bytes, string replacement, Random random)
    {
        int bodyStart = Array.IndexOf(bytes, (byte)'\n') + 1;
        var runs = new List<(int Start, int Length)>();
        for (int i = Math.Max(bodyStart, 0); i < bytes.Length; i++)
        {
            if (!char.IsAsciiDigit((char)bytes[i]))
                continue;
            int start = i;
            while (i < bytes.Length && char.IsAsciiDigit((char)bytes[i]))
                i++;
            runs.Add((start, i - start));
        }
        if (runs.Count == 0)
            return (bytes, "no number to replace");
        var (s, n) = runs[random.Next(runs.Count)];
        var old = Encoding.ASCII.GetString(bytes, s, n);
        return ([.. bytes[..s], .. Encoding.ASCII.GetBytes(replacement), .. bytes[(s + n)..]],
            $"number {old} at byte {s} replaced by {(replacement.Length > 30 ? replacement[..10] + "...(" + replacement.Length + ")" : replacement)}");
    }
}
