using System.Globalization;

namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>A disk size from <c>bhyve-dsk-list</c>: the allocated size and, when CBSD measured it, the real usage.</summary>
public sealed record DiskSize(ulong? AllocBytes, ulong? RealBytes);

/// <summary>
/// The three size notations CBSD prints, all 1024-based:
/// <list type="bullet">
/// <item><c>dsk_size</c>: humanize_number lower-cased, no decimals (<c>20g</c>, <c>512m</c>, <c>1t</c>); <c>0</c> = unknown;</item>
/// <item><c>REAL/ALLOC</c>, e.g. <c>1.4G/20g</c>: <c>du -h</c> usage, then the allocated size (ALLOC is the size);</item>
/// <item>ZFS's <c>refer</c> in jsnapshot: <c>773K</c>, <c>1.39M</c>, <c>2.45G</c>, <c>0B</c>, <c>512B</c>.</item>
/// </list>
/// Pure.
/// </summary>
public static class SizeNotation
{
    private const string Suffixes = "BKMGTPE";

    /// <summary>A human size (any case, optional decimals, optional B); null if it is not one or does not fit 64 bits.</summary>
    public static ulong? ParseHuman(string text)
    {
        if (text.Length == 0)
            return null;
        int power = 0;
        string number = text;
        int suffix = Suffixes.IndexOf(char.ToUpperInvariant(text[^1]));
        if (suffix >= 0)
        {
            power = suffix == 0 ? 0 : suffix;
            number = text[..^1];
        }
        if (number.Length == 0 || !number.All(c => char.IsAsciiDigit(c) || c == '.')
            || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return null;
        decimal bytes = value;
        for (int i = 0; i < power; i++)
        {
            if (bytes > ulong.MaxValue / 1024m)
                return null;
            bytes *= 1024;
        }
        bytes = Math.Round(bytes, MidpointRounding.AwayFromZero);
        return bytes <= ulong.MaxValue ? (ulong)bytes : null;
    }

    /// <summary><c>20g</c>, <c>1.4G/20g</c> or <c>0</c>/<c>-</c> (size unknown).</summary>
    public static DiskSize ParseDiskSize(string text)
    {
        int slash = text.IndexOf('/');
        if (slash >= 0)
            return new DiskSize(Known(ParseHuman(text[(slash + 1)..])), ParseHuman(text[..slash]));
        return new DiskSize(Known(text == "-" ? null : ParseHuman(text)), null);
    }

    /// <summary>CBSD prints 0 when it found no size: that is "unknown", not an empty disk.</summary>
    private static ulong? Known(ulong? size) => size is 0 ? null : size;
}
