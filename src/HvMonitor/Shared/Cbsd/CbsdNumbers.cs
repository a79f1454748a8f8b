using System.Globalization;

namespace HvMonitor.Shared.Cbsd;

/// <summary>Number cells as CBSD and FreeBSD's tools print them: unsigned decimal, <c>-</c> for "none".</summary>
public static class CbsdNumbers
{
    public static bool TryUInt64(string text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static ulong? UInt64OrNull(string text) => TryUInt64(text, out var v) ? v : null;

    /// <summary>A number, or the <c>-</c> placeholder (read as 0).</summary>
    public static bool IsNumberOrDash(string text) => text == "-" || TryUInt64(text, out _);

    public static ulong UInt64OrZero(string text) => TryUInt64(text, out var v) ? v : 0;

    /// <summary>a*b, or null when it does not fit in 64 bits.</summary>
    public static ulong? MultiplyOrNull(ulong a, ulong b)
    {
        ulong r;
        try
        {
            r = checked(a * b);
        }
        catch (OverflowException)
        {
            return null;
        }
        return r;
    }
}
