namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>
/// <c>ifconfig</c> (every interface, one process): maps each interface description to its interface.
/// CBSD names a VM's taps with <c>ifconfig tapN description "VM-nicI"</c>:
/// <code>
/// tap3: flags=8943&lt;UP,BROADCAST,RUNNING,PROMISC,SIMPLEX,MULTICAST&gt; metric 0 mtu 1500
///         description: debian12-nic0
/// </code>
/// A block starts at column 0 with <c>NAME: flags=</c>; its lines start with a TAB. The description is matched
/// as a whole string, never as a pattern. Pure.
/// </summary>
public static class IfconfigParser
{
    public static IReadOnlyDictionary<string, string> InterfacesByDescription(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
                continue;
            if (!char.IsWhiteSpace(line[0]))
            {
                int colon = line.IndexOf(": ", StringComparison.Ordinal);
                current = colon > 0 && line.AsSpan(colon + 2).StartsWith("flags=") ? line[..colon] : null;
                continue;
            }
            var trimmed = line.Trim();
            if (current is not null && trimmed.StartsWith("description: ", StringComparison.Ordinal))
                result.TryAdd(trimmed["description: ".Length..].Trim(), current);
        }
        return result;
    }
}
