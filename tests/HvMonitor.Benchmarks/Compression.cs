using System.Diagnostics;
using System.IO.Compression;
using ICSharpCode.SharpZipLib.GZip;

namespace HvMonitor.Benchmarks;

/// <summary>
/// gzip of one real report, in this process: the in-box GZipStream (zlib-ng in .NET 9+) against
/// SharpZipLib's GZipOutputStream (managed deflate) at the same zlib levels, with and without the
/// base64 step that <c>-c</c> adds. Each output is decompressed again and compared with the input.
/// </summary>
public static class Compression
{
    private sealed record Impl(string Name, int Level, Func<byte[], MemoryStream> Compress);

    public static List<CompressionResult> Run(byte[] json, int iterations, Action<string> log)
    {
        var impls = new List<Impl>
        {
            // Exactly what hv-monitor's SnmpCompression.GzipBase64 calls.
            new("GZipStream, CompressionLevel.SmallestSize (hv-monitor's call)", 9, j => InBox(j, s => new GZipStream(s, CompressionLevel.SmallestSize, leaveOpen: true))),
        };
        foreach (int level in new[] { 1, 6, 9 })
        {
            impls.Add(new($"GZipStream, zlib level {level}", level,
                j => InBox(j, s => new GZipStream(s, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))));
            impls.Add(new($"SharpZipLib 1.4.1 GZipOutputStream, level {level}", level, j => Sharp(j, level)));
        }

        var results = new List<CompressionResult>();
        foreach (var impl in impls)
        {
            long t0 = Stopwatch.GetTimestamp();
            var first = impl.Compress(json);
            _ = Convert.ToBase64String(first.GetBuffer(), 0, (int)first.Length);
            double firstMs = Ms(t0);

            var compress = new List<double>();
            var withBase64 = new List<double>();
            MemoryStream last = first;
            for (int i = 0; i < iterations + 3; i++)
            {
                long a = Stopwatch.GetTimestamp();
                last = impl.Compress(json);
                double c = Ms(a);
                _ = Convert.ToBase64String(last.GetBuffer(), 0, (int)last.Length);
                double cb = Ms(a);
                if (i >= 3)
                {
                    compress.Add(c);
                    withBase64.Add(cb);
                }
            }
            var r = new CompressionResult
            {
                Implementation = impl.Name,
                Level = impl.Level,
                InputBytes = json.Length,
                OutputBytes = last.Length,
                Base64Bytes = (last.Length + 2) / 3 * 4,
                CompressMs = Stat.Of(compress),
                CompressAndBase64Ms = Stat.Of(withBase64),
                FirstCallMs = firstMs,
                RoundTripOk = Gunzip(last.ToArray()).AsSpan().SequenceEqual(json),
            };
            log($"  {r.Implementation}: {r.OutputBytes} bytes, {r.CompressMs.Median:F2} ms (+base64 {r.CompressAndBase64Ms.Median:F2} ms), first call {firstMs:F1} ms");
            results.Add(r);
        }
        return results;
    }

    private static MemoryStream InBox(byte[] json, Func<Stream, GZipStream> open)
    {
        var ms = new MemoryStream(json.Length / 4 + 64);
        using (var gz = open(ms))
            gz.Write(json);
        return ms;
    }

    private static MemoryStream Sharp(byte[] json, int level)
    {
        var ms = new MemoryStream(json.Length / 4 + 64);
        using (var gz = new GZipOutputStream(ms) { IsStreamOwner = false })
        {
            gz.SetLevel(level);
            gz.Write(json);
            gz.Finish();
        }
        return ms;
    }

    private static byte[] Gunzip(byte[] data)
    {
        using var gz = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }

    private static double Ms(long since) => (Stopwatch.GetTimestamp() - since) * 1000.0 / Stopwatch.Frequency;
}
