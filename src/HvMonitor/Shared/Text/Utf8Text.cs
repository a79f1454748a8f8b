using System.Text;

namespace HvMonitor.Shared.Text;

/// <summary>
/// Text from outside (libvirt, CBSD commands, /proc) as valid UTF-8: LibreNMS's json_decode rejects a whole
/// poll on one invalid byte, so an invalid sequence becomes U+FFFD and the caller is told, to warn.
/// </summary>
public static class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Decodes <paramref name="bytes"/>; <paramref name="replaced"/> is true when an invalid sequence was replaced by U+FFFD.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, out bool replaced)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            replaced = false;
            return Strict.GetString(bytes);
        }
        replaced = true;
        return Lenient.GetString(bytes);
    }

    /// <summary>A NUL-terminated C string (libvirt's) decoded as <see cref="Decode"/>; null for a null pointer.</summary>
    public static unsafe string? FromNative(IntPtr s, out bool replaced)
    {
        replaced = false;
        if (s == IntPtr.Zero)
            return null;
        var span = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)s);
        return Decode(span, out replaced);
    }
}
