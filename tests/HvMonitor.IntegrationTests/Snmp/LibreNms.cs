using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace HvMonitor.IntegrationTests.Snmp;

/// <summary>LibreNMS's json_app_get() refused the output; Code is the number LibreNMS would report.</summary>
public sealed class LibreNmsException(int code, string message) : Exception($"LibreNMS would fail with {code}: {message}")
{
    public int Code { get; } = code;
}

/// <summary>
/// What LibreNMS does to poll an application, reproduced step by step (includes/functions.php
/// json_app_get() and snmp_get(), includes/polling/applications/hv-monitor.inc.php):
/// <list type="number">
/// <item>snmpget -v2c -c COMMUNITY -Oqv -M MIBDIRS -m NET-SNMP-EXTEND-MIB udp:HOST:PORT nsExtendOutputFull.LEN.BYTES
///   (the index is the extend name as Oid::ofString spells it: its length, then its bytes);</item>
/// <item>trim($output, "\\\" \n\r");</item>
/// <item>if it matches ^[A-Za-z0-9/+\n]+=*\n*$ and not ^[0-9]+\n: base64_decode, then gzdecode, and (before
///   24.4.0 only) stripslashes; otherwise stripslashes (every version);</item>
/// <item>json_decode($output, true); require version, error, errorString, data; error must be 0.</item>
/// </list>
/// With the MIB loaded, snmpget formats nsExtendOutputFull by its DisplayString hint (255a): the bytes as
/// they are, unquoted and unescaped, UTF-8 included. Without the MIB (a numeric OID and no MIB files) it
/// would quote and backslash-escape a printable value and print anything with a non-ASCII byte as hex,
/// which is NOT what LibreNMS sees; hence the IETF base MIBs that tests/lab/lab.sh installs.
/// </summary>
public static partial class LibreNms
{
    /// <summary>net-snmp's own MIBs (libsnmp-base) and the SMIv2 base modules they import (lab.sh install).</summary>
    public static readonly string[] MibDirectories = ["/usr/share/snmp/mibs", "/usr/local/share/hv-monitor-lab/mibs"];

    public const string ExtendName = "hv-monitor";

    /// <summary>NET-SNMP-EXTEND-MIB::nsExtendOutputFull, numerically.</summary>
    public const string NsExtendOutputFull = ".1.3.6.1.4.1.8072.1.3.2.3.1.2";

    /// <summary>LibreNMS's Oid::ofString: the string's length, then each byte, dot-separated.</summary>
    public static string OidOfString(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        return bytes.Length.ToString(CultureInfo.InvariantCulture) + "." + string.Join('.', bytes.Select(b => b.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Step 1: snmpget exactly as LibreNMS's snmp_get(…, '-Oqv', 'NET-SNMP-EXTEND-MIB') runs it. Returns stdout's bytes.</summary>
    public static byte[] SnmpGet(Snmpd snmpd, string extendName = ExtendName, string transport = "udp", int timeoutSeconds = 5)
    {
        foreach (var dir in MibDirectories)
        {
            if (!Directory.Exists(dir))
                throw new InvalidOperationException($"{dir} is missing: run 'bash tests/lab/lab.sh install' (it provides the MIBs LibreNMS loads)");
        }
        int port = transport == "tcp" ? snmpd.TcpPort ?? throw new InvalidOperationException("snmpd has no TCP port") : snmpd.UdpPort;
        var r = Shell.Run("snmpget",
            ["-v2c", "-c", Snmpd.Community, "-Oqv", "-M", string.Join(':', MibDirectories), "-m", "NET-SNMP-EXTEND-MIB",
                "-t", timeoutSeconds.ToString(CultureInfo.InvariantCulture), "-r", "0",
                $"{transport}:127.0.0.1:{port}", "nsExtendOutputFull." + OidOfString(extendName)],
            Snmpd.SnmpClientEnvironment(snmpd.Directory));
        // net-snmp's tools announce once per machine that they created their certificate index directory.
        var stderr = string.Join('\n', r.Stderr.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("Created directory:", StringComparison.Ordinal)));
        if (r.ExitCode != 0 || stderr.Length > 0)
            throw new LibreNmsException(-2, $"snmpget exited {r.ExitCode}: {r.Stderr}{r.Stdout}\nsnmpd log:\n{snmpd.Log}");
        return r.StdoutBytes;
    }

    /// <summary>Steps 2–4 on snmpget's output: the parsed document LibreNMS would hand to the hv-monitor poller.</summary>
    public static JsonElement JsonAppGet(byte[] snmpgetOutput, Release release = Release.Current)
    {
        var text = DecodeToJsonText(snmpgetOutput, release);
        JsonElement parsed;
        try
        {
            using var doc = JsonDocument.Parse(text);
            parsed = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new LibreNmsException(-3, "Invalid JSON: " + e.Message);
        }
        return CheckEnvelope(parsed);
    }

    /// <summary>
    /// Which json_app_get: since 24.4.0 (PR #15953) stripslashes() runs only on the plain form; from 22.11.0
    /// (PR #14169) to 24.3.x it also ran on the gunzipped text (docs/librenms.md, "How LibreNMS reads the output").
    /// </summary>
    public enum Release
    {
        /// <summary>24.4.0 and later.</summary>
        Current,
        /// <summary>22.11.0 to 24.3.x.</summary>
        Before24_4,
    }

    /// <summary>Steps 2 and 3 and the stripslashes of step 4: the exact bytes LibreNMS hands to json_decode.</summary>
    public static byte[] DecodeToJsonText(byte[] snmpgetOutput, Release release = Release.Current)
    {
        var output = PhpTrim(snmpgetOutput, "\\\" \n\r"u8);
        if (output.Length == 0)
            throw new LibreNmsException(-2, "Empty return from snmp_get.");
        // PHP's preg_match without /u works on bytes; Latin-1 maps each byte to one char.
        var text = Encoding.Latin1.GetString(output);
        if (Base64Like().IsMatch(text) && !NumberLine().IsMatch(text))
        {
            byte[] gzip;
            try
            {
                gzip = Convert.FromBase64String(text.Replace("\n", "", StringComparison.Ordinal));
            }
            catch (FormatException e)
            {
                throw new LibreNmsException(-7, "Base64 decode failed: " + e.Message);
            }
            try
            {
                using var gunzip = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                gunzip.CopyTo(plain);
                output = plain.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new LibreNmsException(-8, "Gzip decode failed: " + e.Message);
            }
            return release == Release.Current ? output : StripSlashes(output);
        }
        return StripSlashes(output);
    }

    private static JsonElement CheckEnvelope(JsonElement parsed)
    {
        if (parsed.ValueKind != JsonValueKind.Object || !parsed.EnumerateObject().Any())
            throw new LibreNmsException(-4, "Blank JSON returned.");
        foreach (var key in new[] { "error", "data", "errorString", "version" })
        {
            // PHP isset(): present and not null.
            if (!parsed.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
                throw new LibreNmsException(-5, $"Legacy script or extend error, missing one or more required keys ({key}).");
        }
        if (parsed.GetProperty("version").GetDouble() < 1)
            throw new LibreNmsException(-6, "Script older than required version of '1'");
        if (parsed.GetProperty("error").GetDouble() != 0)
            throw new LibreNmsException(parsed.GetProperty("error").GetInt32(), "Script returned exception: " + parsed.GetProperty("errorString"));
        return parsed;
    }

    /// <summary>
    /// A name as it arrives after stripslashes() of hv-monitor's JSON, derived from the encoding's definition
    /// (docs/fields.md): <c>"</c>, <c>\</c> and control characters are written <c>\u00XX</c>, whose backslash
    /// stripslashes removes, leaving the text <c>u00XX</c>; nothing else carries a backslash.
    /// </summary>
    public static string AfterStripslashes(string name) =>
        string.Concat(name.Select(c => c is '"' or '\\' or < (char)0x20 ? "u00" + ((int)c).ToString("x2", CultureInfo.InvariantCulture) : c.ToString()));

    /// <summary>PHP's trim($s, $chars) on bytes.</summary>
    public static byte[] PhpTrim(byte[] s, ReadOnlySpan<byte> chars)
    {
        int start = 0, end = s.Length;
        while (start < end && chars.Contains(s[start]))
            start++;
        while (end > start && chars.Contains(s[end - 1]))
            end--;
        return s[start..end];
    }

    /// <summary>PHP's stripslashes(): a backslash is dropped and the next byte kept as is ("\\0" becomes NUL); a final lone backslash is dropped.</summary>
    public static byte[] StripSlashes(byte[] s)
    {
        var result = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != (byte)'\\')
            {
                result.Add(s[i]);
                continue;
            }
            i++;
            if (i < s.Length)
                result.Add(s[i] == (byte)'0' ? (byte)0 : s[i]);
        }
        return [.. result];
    }

    [GeneratedRegex(@"^[A-Za-z0-9/+\n]+=*\n*$")]
    private static partial Regex Base64Like();

    [GeneratedRegex(@"^[0-9]+\n")]
    private static partial Regex NumberLine();

    // ---------------------------------------------------------------------------------------------
    // What includes/polling/applications/hv-monitor.inc.php reads from the data.

    /// <summary>Every key the poller reads from each VM (RRD data sets).</summary>
    public static readonly string[] VmFields =
    [
        "usertime", "pmem", "oublk", "minflt", "pcpu", "mem_alloc", "nvcsw", "snaps", "rss", "snaps_size", "cpus", "cow", "nivcsw",
        "systime", "vsz", "etimes", "majflt", "inblk", "nswap", "status_int", "rbytes", "rtime", "rreqs", "wbytes", "wtime", "wreqs",
        "disk_alloc", "disk_in_use", "disk_on_disk", "ftime", "freqs", "ipkts", "ierrs", "ibytes", "idrop", "opkts", "oerrs", "obytes",
        "odrop", "coll",
    ];

    /// <summary>Every key the poller reads from data.totals.</summary>
    public static readonly string[] TotalsFields =
    [
        .. VmFields.Where(f => f != "status_int"),
        "on", "off", "off_hard", "off_soft", "unknown", "paused", "crashed", "blocked", "nostate", "pmsuspended",
    ];

    public static readonly string[] DiskFields = ["in_use", "on_disk", "alloc", "rbytes", "rtime", "rreqs", "wbytes", "wtime", "wreqs", "ftime", "freqs"];

    public static readonly string[] InterfaceFields = ["ipkts", "ierrs", "ibytes", "idrop", "opkts", "oerrs", "obytes", "odrop", "coll"];

    public static readonly string[] InterfaceTextFields = ["mac", "parent", "if"];

    /// <summary>
    /// The hv-monitor poller's reads, checked: every numeric key present and a JSON number for the totals
    /// and every VM, disk and interface; the interface's text keys present as strings. Returns how many
    /// values were checked, so a test can show it checked something.
    /// </summary>
    public static int AssertEveryPolledFieldIsANumber(JsonElement data)
    {
        int count = 0;
        Assert.Equal(JsonValueKind.String, data.GetProperty("hv").ValueKind);
        count += AssertNumbers(data.GetProperty("totals"), TotalsFields, "totals");
        foreach (var vm in data.GetProperty("VMs").EnumerateObject())
        {
            count += AssertNumbers(vm.Value, VmFields, $"VM '{vm.Name}'");
            foreach (var disk in vm.Value.GetProperty("disks").EnumerateObject())
                count += AssertNumbers(disk.Value, DiskFields, $"VM '{vm.Name}' disk '{disk.Name}'");
            foreach (var nic in vm.Value.GetProperty("ifs").EnumerateObject())
            {
                count += AssertNumbers(nic.Value, InterfaceFields, $"VM '{vm.Name}' interface '{nic.Name}'");
                foreach (var key in InterfaceTextFields)
                {
                    Assert.True(nic.Value.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String,
                        $"VM '{vm.Name}' interface '{nic.Name}': '{key}' is missing or not text");
                }
            }
        }
        return count;
    }

    private static int AssertNumbers(JsonElement obj, string[] keys, string where)
    {
        foreach (var key in keys)
        {
            Assert.True(obj.TryGetProperty(key, out var v), $"{where}: '{key}' is missing");
            Assert.True(v.ValueKind == JsonValueKind.Number, $"{where}: '{key}' is {v.ValueKind} ({v.GetRawText()}), not a number");
        }
        return keys.Length;
    }
}
