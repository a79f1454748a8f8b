using HvMonitor.Collector.Cli;

namespace HvMonitor.Collector.Output;

/// <summary>The cache files of serve mode: BASE (plain JSON) and BASE.snmp (gzip+base64), as -w writes them.</summary>
public static class OutputCache
{
    public static string PathFor(CliOptions options) => options.Compress ? options.OutputBase + ".snmp" : options.OutputBase;

    /// <summary>The cached report in the form asked for, if it was written less than --cache-ttl ago.</summary>
    public static byte[]? ReadIfFresh(CliOptions options)
    {
        var path = PathFor(options);
        try
        {
            var age = DateTime.UtcNow - File.GetLastWriteTimeUtc(path);
            if (!File.Exists(path) || age < TimeSpan.Zero || age >= options.CacheTtl)
                return null;
            var bytes = File.ReadAllBytes(path);
            // A cache written by another version or by hand might lack the newline; snmpd output wants one.
            return bytes.Length > 0 && bytes[^1] == (byte)'\n' ? bytes : [.. bytes, (byte)'\n'];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
