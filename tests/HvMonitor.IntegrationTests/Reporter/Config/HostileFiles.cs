using System.Diagnostics;
using System.Text;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter.Config;

/// <summary>Configuration content and special files that once exhausted or hung the reporter.</summary>
public static class HostileFiles
{
    /// <summary>Ten keys, each naming the next ten times: 10^9 characters if expanded.</summary>
    public static string FanOut(string section)
    {
        var text = new StringBuilder($"[{section}]\ntype=libvirt\n");
        for (int i = 0; i < 9; i++)
            text.Append(CultureInfoInvariant($"k{i}={string.Concat(Enumerable.Repeat($"%(k{i + 1})s", 10))}\n"));
        text.Append("k9=").Append('x', 100).Append('\n');
        return text.ToString();
    }

    private static string CultureInfoInvariant(FormattableString s) => FormattableString.Invariant(s);

    public static void MakeFifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]))!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    private static readonly string[] Pieces =
    [
        "%", "%%", "%(base)s", "%(nokey)s", "[", "]", "[victim]", "[DEFAULT]", "=", ":", "\n", "\r", "\0", "\f", "\u2028",
        "\"", "\\", ",", "server=", "type=", "owner=", "filter_hosts=\"open", "rhsm_encrypted_password=zz", FanOut("fan"),
    ];

    /// <summary>A few random edits (fixed by <paramref name="random"/>'s seed): inserted pieces, deletions, truncation.</summary>
    public static string Mutate(string text, Random random)
    {
        var s = new StringBuilder(text);
        for (int e = random.Next(1, 5); e > 0; e--)
        {
            int at = random.Next(s.Length + 1);
            switch (random.Next(4))
            {
                case 0 when s.Length > at:
                    s.Remove(at, Math.Min(random.Next(1, 15), s.Length - at));
                    break;
                case 1:
                    s.Length = at;
                    break;
                case 2:
                    s.Insert(at, (char)random.Next(0, 0x3000));
                    break;
                default:
                    s.Insert(at, Pieces[random.Next(Pieces.Length)]);
                    break;
            }
        }
        return s.ToString();
    }
}
