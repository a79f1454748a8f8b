using System.IO.Compression;
using System.Text.Json;

namespace HvMonitor.Benchmarks;

/// <summary>
/// A timing of a program that did not do its job is worthless: every measured hv-monitor run is
/// checked to have printed a LibreNMS envelope with error 0 and the expected number of VMs.
/// </summary>
public static class OutputCheck
{
    /// <summary>The number of VMs in hv-monitor's output; throws if the output is not a successful report.</summary>
    public static int HvReport(string stdoutPath, bool compressed)
    {
        byte[] json = File.ReadAllBytes(stdoutPath);
        if (compressed)
        {
            var text = System.Text.Encoding.ASCII.GetString(json).Trim();
            if (text.Contains('\n'))
                throw new InvalidDataException("-c output is not one line");
            using var gz = new GZipStream(new MemoryStream(Convert.FromBase64String(text)), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            json = ms.ToArray();
        }
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        int error = root.GetProperty("error").GetInt32();
        if (error != 0)
            throw new InvalidDataException($"hv-monitor reported error {error}: {root.GetProperty("errorString").GetString()}");
        int count = 0;
        foreach (var _ in root.GetProperty("data").GetProperty("VMs").EnumerateObject())
            count++;
        return count;
    }
}
