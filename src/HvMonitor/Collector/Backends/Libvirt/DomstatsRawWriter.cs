using System.Text;
using HvMonitor.Shared.Libvirt;

namespace HvMonitor.Collector.Backends.Libvirt;

/// <summary>
/// Stats records as <c>virsh domstats --raw</c> prints them, the text <see cref="DomstatsRawParser"/> reads:
/// <code>
/// Domain: 'web 1'
///   state.state=1
/// </code>
/// Pure.
/// </summary>
public static class DomstatsRawWriter
{
    public static string Write(IEnumerable<DomainStats> domains)
    {
        var sb = new StringBuilder();
        foreach (var d in domains)
        {
            sb.Append("Domain: '").Append(d.Name).Append("'\n");
            foreach (var (key, value) in d.Values)
                sb.Append("  ").Append(key).Append('=').Append(value.ToString()).Append('\n');
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
