using System.Text.RegularExpressions;
using HvMonitor.Shared.Cbsd;

namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>A dataset's I/O counters from its OpenZFS kstat node: operations and bytes.</summary>
public sealed record DatasetIo(ulong Reads, ulong ReadBytes, ulong Writes, ulong WrittenBytes);

/// <summary>
/// <c>sysctl kstat.zfs.POOL.dataset</c> (one process for every pool holding a VM disk):
/// <code>
/// kstat.zfs.zroot.dataset.objset-0x2a1.nread: 58212429824
/// kstat.zfs.zroot.dataset.objset-0x2a1.dataset_name: zroot/cbsd/debian12/dsk1.vhd
/// </code>
/// Nodes are grouped by objset id and keyed by their <c>dataset_name</c> (listed last, order not guaranteed):
/// an exact name, never a pattern. <c>reads</c>/<c>writes</c> are operations, <c>nread</c>/<c>nwritten</c> bytes.
/// Other lines (zil_*, nunlinks, an elision) are ignored. Pure.
/// </summary>
public static partial class KstatParser
{
    [GeneratedRegex(@"^kstat\.zfs\.(?<pool>.+)\.dataset\.objset-0x(?<id>[0-9a-fA-F]+)\.(?<field>[a-z_]+)$")]
    private static partial Regex Oid();

    public static IReadOnlyDictionary<string, DatasetIo> Parse(string text)
    {
        var nodes = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            int sep = line.IndexOf(": ", StringComparison.Ordinal);
            if (sep <= 0)
                continue;
            var m = Oid().Match(line[..sep]);
            if (!m.Success)
                continue;
            string node = m.Groups["pool"].Value + "/" + m.Groups["id"].Value;
            if (!nodes.TryGetValue(node, out var fields))
                nodes[node] = fields = new Dictionary<string, string>(StringComparer.Ordinal);
            fields[m.Groups["field"].Value] = line[(sep + 2)..];
        }
        var result = new Dictionary<string, DatasetIo>(StringComparer.Ordinal);
        foreach (var fields in nodes.Values)
        {
            if (!fields.TryGetValue("dataset_name", out var name) || name.Length == 0)
                continue;
            ulong F(string f) => fields.TryGetValue(f, out var v) ? CbsdNumbers.UInt64OrZero(v.Trim()) : 0;
            result.TryAdd(name, new DatasetIo(F("reads"), F("nread"), F("writes"), F("nwritten")));
        }
        return result;
    }
}
