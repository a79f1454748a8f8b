using System.Globalization;

namespace HvMonitor.Backends.Libvirt;

/// <summary>
/// One domain's stats record: the typed parameters of virConnectGetAllDomainStats, or the lines of
/// <c>virsh domstats --raw</c>, as key → invariant text (e.g. <c>block.0.rd.bytes</c> → <c>"4096"</c>).
/// Both sources produce this same shape, so everything after it is tested on recorded hosts.
/// </summary>
public sealed class DomainStats(string name, IReadOnlyDictionary<string, string> values)
{
    public string Name { get; } = name;
    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public string? Text(string key) => Values.TryGetValue(key, out var v) ? v : null;

    /// <summary>A counter or size; negative or non-numeric values count as absent.</summary>
    public ulong? UInt64(string key)
    {
        if (!Values.TryGetValue(key, out var v))
            return null;
        if (ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var u))
            return u;
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0)
            return (ulong)d;
        return null;
    }

    public ulong UInt64OrZero(string key) => UInt64(key) ?? 0;
}
