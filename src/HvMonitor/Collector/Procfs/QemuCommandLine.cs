namespace HvMonitor.Collector.Procfs;

/// <summary>
/// Reads the guest name out of a QEMU command line (/proc/PID/cmdline, NUL-separated):
/// <c>qemu-system-x86_64\0-name\0guest=web 1,debug-threads=on\0...</c>. QEMU doubles commas inside
/// option values, so <c>guest=a,,b</c> is the name <c>a,b</c>. Pure.
/// </summary>
public static class QemuCommandLine
{
    public static string? GuestName(ReadOnlySpan<char> cmdline)
    {
        bool nextIsName = false;
        foreach (var range in cmdline.Split('\0'))
        {
            var arg = cmdline[range];
            if (nextIsName)
                return NameFromOption(arg);
            nextIsName = arg.SequenceEqual("-name");
        }
        return null;
    }

    /// <summary><c>guest=NAME,debug-threads=on</c> or the older bare <c>NAME</c> form.</summary>
    internal static string NameFromOption(ReadOnlySpan<char> option)
    {
        var parts = SplitOptions(option);
        foreach (var part in parts)
        {
            if (part.StartsWith("guest=", StringComparison.Ordinal))
                return part["guest=".Length..];
        }
        // The first element without key=... is the implied "guest" key.
        return parts.Count > 0 && !parts[0].Contains('=') ? parts[0] : "";
    }

    private static List<string> SplitOptions(ReadOnlySpan<char> option)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (int i = 0; i < option.Length; i++)
        {
            if (option[i] == ',')
            {
                if (i + 1 < option.Length && option[i + 1] == ',')
                {
                    current.Append(',');
                    i++;
                    continue;
                }
                parts.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(option[i]);
        }
        parts.Add(current.ToString());
        return parts;
    }
}
