using HvMonitor.Shared.Libvirt;

namespace HvMonitor.Collector.Backends.Libvirt;

/// <summary>
/// Parses <c>virsh domstats --raw</c> output into the same records the native call yields:
/// <code>
/// Domain: 'web 1'
///   state.state=1
///   block.0.rd.bytes=4096
/// </code>
/// Pure; used to replay recorded hosts from samples/.
/// </summary>
public static class DomstatsRawParser
{
    private const string DomainPrefix = "Domain: '";

    public static List<DomainStats> Parse(string text)
    {
        var result = new List<DomainStats>();
        string? name = null;
        Dictionary<string, StatValue>? values = null;
        int lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (line.StartsWith(DomainPrefix, StringComparison.Ordinal))
            {
                Flush();
                int end = line.LastIndexOf('\'');
                if (end < DomainPrefix.Length)
                    throw new FormatException($"domstats line {lineNumber}: unterminated domain name: {line}");
                // The name is everything between the first and the last quote: it may contain quotes itself.
                name = line[DomainPrefix.Length..end];
                values = new Dictionary<string, StatValue>(StringComparer.Ordinal);
                continue;
            }
            var trimmed = line.TrimStart();
            int eq = trimmed.IndexOf('=');
            if (values is null || eq <= 0 || trimmed.Length == line.Length)
                throw new FormatException($"domstats line {lineNumber}: expected '  key=value' inside a 'Domain:' block: {line}");
            values[trimmed[..eq]] = StatValue.Parse(trimmed[(eq + 1)..]);
        }
        Flush();
        return result;

        void Flush()
        {
            if (name is not null && values is not null)
                result.Add(new DomainStats(name, values));
        }
    }
}
