using System.Text;
using System.Text.Json;
using HvMonitor.Collector.Cli;
using HvMonitor.Collector.Output;
using HvMonitor.Shared.Platform;

namespace HvMonitor.Collector.Output;

/// <summary>The cache files of serve mode: BASE (plain JSON) and BASE.snmp (gzip+base64), as -w writes them.</summary>
public static class OutputCache
{
    /// <summary>Far above any real report (100 KB is already too large for SNMP): a bigger "cache" is not ours.</summary>
    private const int MaxBytes = 64 << 20;

    public static string PathFor(CliOptions options) => options.Compress ? options.OutputBase + ".snmp" : options.OutputBase;

    /// <summary>
    /// The cached report in the form asked for, if it was written less than --cache-ttl ago. Only a regular file
    /// counts (opened without following a link and without blocking): anything else is stale, so this run
    /// collects and its write names the problem.
    /// </summary>
    public static byte[]? ReadIfFresh(CliOptions options)
    {
        var path = PathFor(options);
        try
        {
            using var handle = SafeOpen.RegularFileForRead(path, followLinks: false);
            var age = DateTime.UtcNow - FileStat.Of(handle).ModifiedUtc;
            if (age < TimeSpan.Zero || age >= options.CacheTtl)
                return null;
            using var stream = new FileStream(handle, FileAccess.Read);
            if (stream.Length > MaxBytes)
                return null;
            var bytes = new byte[stream.Length];
            int length = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            // A cache written by another version or by hand might lack the newline; snmpd output wants one.
            return length > 0 && bytes[length - 1] == (byte)'\n' ? bytes[..length] : [.. bytes.AsSpan(0, length), (byte)'\n'];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The exit status of the run that wrote <paramref name="served"/>, read back from its envelope, so that every
    /// run serving one collection exits alike: 1 when error ≠ 0 (or the text is no envelope), 3 when errorString
    /// says something (a complete run leaves it empty), else 0. Pure.
    /// </summary>
    public static int ExitCodeOf(byte[] served, bool compressed)
    {
        try
        {
            var json = compressed ? SnmpCompression.Decode(Encoding.ASCII.GetString(served)) : served;
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (!root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Number || error.GetInt64() != 0)
                return CollectorProgram.ExitEnvelopeError;
            return root.TryGetProperty("errorString", out var text) && text.ValueKind == JsonValueKind.String && text.GetString()!.Length > 0
                ? CollectorProgram.ExitIncomplete
                : CollectorProgram.ExitOk;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidDataException or DecoderFallbackException)
        {
            return CollectorProgram.ExitEnvelopeError;
        }
    }
}
