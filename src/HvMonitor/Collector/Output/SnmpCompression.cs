using System.IO.Compression;

namespace HvMonitor.Collector.Output;

/// <summary>
/// The `-c` form: gzip, then base64 as ONE line. LibreNMS recognises it with
/// <c>^[A-Za-z0-9/+\n]+=*\n*$</c>, base64-decodes and gunzips it.
/// In-box GZipStream (zlib) is used; see the README and docs/performance.md for the measurement against SharpZipLib.
/// </summary>
public static class SnmpCompression
{
    public static string GzipBase64(ReadOnlySpan<byte> json)
    {
        using var buffer = new MemoryStream(json.Length / 4 + 64);
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(json);
        return Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The inverse, as LibreNMS does it: base64-decode, then gunzip.</summary>
    public static byte[] Decode(string text)
    {
        var compressed = Convert.FromBase64String(text.Trim());
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
