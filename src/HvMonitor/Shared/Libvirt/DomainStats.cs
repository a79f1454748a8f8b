using System.Globalization;

namespace HvMonitor.Shared.Libvirt;

/// <summary>
/// One typed parameter of a stats record: a counter or size (<see cref="Number"/>), or text such as a
/// path or device name. Numbers stay numbers from libvirt to the output: no text round trip.
/// </summary>
public readonly record struct StatValue(ulong? Number, string? Text)
{
    public static StatValue OfText(string text) => new(null, text);

    public static StatValue OfSigned(long value) => value >= 0 ? new((ulong)value, null) : new(null, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A fractional value counts as its whole part; a negative one is not a counter.</summary>
    public static StatValue OfReal(double value) =>
        value >= 0 && value < ulong.MaxValue ? new((ulong)value, null) : new(null, value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>From <c>virsh domstats --raw</c> text, where every value is text.</summary>
    public static StatValue Parse(string text)
    {
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u))
            return new(u, text);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && d < ulong.MaxValue)
            return new((ulong)d, text);
        return new(null, text);
    }

    public override string ToString() => Text ?? Number?.ToString(CultureInfo.InvariantCulture) ?? "";
}

/// <summary>
/// One domain's stats record: the typed parameters of virConnectGetAllDomainStats, or the lines of
/// <c>virsh domstats --raw</c>, by key (e.g. <c>block.0.rd.bytes</c>). Both sources produce this same
/// shape, so everything after it is tested on recorded hosts.
/// </summary>
public sealed class DomainStats(string name, IReadOnlyDictionary<string, StatValue> values)
{
    public string Name { get; } = name;
    public IReadOnlyDictionary<string, StatValue> Values { get; } = values;

    public string? Text(string key) => Values.TryGetValue(key, out var v) ? v.ToString() : null;

    /// <summary>A counter or size; negative or non-numeric values count as absent.</summary>
    public ulong? UInt64(string key) => Values.TryGetValue(key, out var v) ? v.Number : null;

    public ulong UInt64OrZero(string key) => UInt64(key) ?? 0;
}
