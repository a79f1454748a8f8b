using System.Globalization;
using System.Text;
using System.Text.Json;
using HvMonitor.Collector.Output;
using Xunit;
using Xunit.Abstractions;

namespace HvMonitor.IntegrationTests.Snmp;

/// <summary>
/// How big the output gets, where SNMP stops carrying it, and that hv-monitor says so where the user will
/// see it: stderr in cron mode, the --log file in serve mode (never stderr there). Hosts of a few hundred
/// domains come from libvirt's test driver.
/// </summary>
public sealed class OutputSizeTests(ITestOutputHelper output)
{
    private static readonly string Limit = OutputSize.UdpLimitBytes.ToString(CultureInfo.InvariantCulture);

    private static string NewDirectory(string prefix)
    {
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        return dir;
    }

    private static (long Raw, long Snmp) CronRun(string uri, string dir)
    {
        var outputBase = Path.Combine(dir, "hv_monitor.json");
        var r = HvMonitorBinary.Run("--uri", uri, "-w", "-q", "-o", outputBase);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return (new FileInfo(outputBase).Length, new FileInfo(outputBase + ".snmp").Length);
    }

    private static int VmCount(byte[] snmpgetLikeOutput) =>
        LibreNms.JsonAppGet(snmpgetLikeOutput).GetProperty("data").GetProperty("VMs").EnumerateObject().Count();

    /// <summary>The measurement behind the README's "Output size" table: bytes per VM, raw and compressed.</summary>
    [Fact]
    public void SizePerVmIsMeasuredAndGrowsLinearly()
    {
        var dir = NewDirectory("hvm-size-");
        output.WriteLine("layout  VMs  JSON bytes  .snmp bytes  JSON/VM  .snmp/VM (marginal)");
        foreach (var varied in new[] { false, true })
        {
            (int N, long Raw, long Snmp)? previous = null;
            foreach (var n in new[] { 50, 100, 200, 400 })
            {
                var (raw, snmp) = CronRun(TestDriverHost.Uri(TestDriverHost.Write(dir, n, varied)), dir);
                string marginal = previous is { } p ? $"{(double)(raw - p.Raw) / (n - p.N),7:0.0}  {(double)(snmp - p.Snmp) / (n - p.N),7:0.0}" : "";
                output.WriteLine($"{(varied ? "varied" : "plain "),-7} {n,4}  {raw,10}  {snmp,11}  {marginal}");
                if (previous is { } q)
                {
                    // Linear: every VM costs the same; the plain layout's JSON costs what a real guest's does.
                    double perVm = (double)(raw - q.Raw) / (n - q.N);
                    Assert.InRange(perVm, varied ? 1200 : 850, varied ? 1800 : 1100);
                }
                previous = (n, raw, snmp);
            }
        }
    }

    [Fact]
    public void WarnsOnStderrInCronModeWhenTheOutputPassesTheLimitAndTheOutputStaysValid()
    {
        var dir = NewDirectory("hvm-size-cron-");
        // Plain JSON: 100 ordinary domains are about 98 kB.
        var plainUri = TestDriverHost.Uri(TestDriverHost.Write(dir, 100));
        var plain = HvMonitorBinary.Run("--uri", plainUri);
        Assert.Equal(0, plain.ExitCode);
        output.WriteLine(plain.Stderr);
        Assert.True(plain.StdoutBytes.Length > OutputSize.UdpLimitBytes);
        var warning = Assert.Single(plain.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"hv-monitor: warning: the output is {plain.StdoutBytes.Length} bytes;", warning);
        Assert.Contains($"at most {Limit} bytes", warning);
        Assert.Contains("use the compressed form (-c", warning);
        Assert.Equal(100, VmCount(plain.StdoutBytes));

        // Compressed: past the limit too, with the cron example's flags (-w -q).
        var variedUri = TestDriverHost.Uri(TestDriverHost.Write(dir, CompressedPastTheLimit, varied: true));
        var outputBase = Path.Combine(dir, "hv_monitor.json");
        var cron = HvMonitorBinary.Run("--uri", variedUri, "-w", "-q", "-o", outputBase);
        Assert.Equal(0, cron.ExitCode);
        output.WriteLine(cron.Stderr);
        var snmp = File.ReadAllBytes(outputBase + ".snmp");
        Assert.True(snmp.Length > OutputSize.UdpLimitBytes, $".snmp is only {snmp.Length} bytes");
        warning = Assert.Single(cron.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"hv-monitor: warning: {outputBase}.snmp is {snmp.Length} bytes;", warning);
        Assert.Contains($"at most {Limit} bytes", warning);
        Assert.Contains("poll this device over TCP", warning);
        // Still whole and valid: LibreNMS's decoding of the file gives back the JSON file, every VM in it.
        Assert.Equal(LibreNms.PhpTrim(File.ReadAllBytes(outputBase), "\n"u8), LibreNms.DecodeToJsonText(snmp));
        Assert.Equal(CompressedPastTheLimit, VmCount(snmp));

        // The same with -c printing the compressed line.
        var printed = HvMonitorBinary.Run("--uri", variedUri, "-c");
        Assert.Contains("warning: the output is", printed.Stderr);
        Assert.Contains("poll this device over TCP", printed.Stderr);
        Assert.Equal(CompressedPastTheLimit, VmCount(printed.StdoutBytes));
    }

    /// <summary>Varied test-driver domains whose compressed output passes the UDP limit (about 70 kB at 100 bytes a VM).</summary>
    private const int CompressedPastTheLimit = 700;

    [Theory]
    [InlineData("compressed")]
    [InlineData("plain")]
    public void WarnsOnlyInTheLogInServeModeWhenTheOutputPassesTheLimit(string form)
    {
        var dir = NewDirectory("hvm-size-serve-");
        var uri = form == "compressed"
            ? TestDriverHost.Uri(TestDriverHost.Write(dir, CompressedPastTheLimit, varied: true))
            : TestDriverHost.Uri(TestDriverHost.Write(dir, 100));
        var outputBase = Path.Combine(dir, "hv_monitor.json");
        var log = Path.Combine(dir, "hv-monitor.log");
        string[] args = ["--cache-ttl", "240", .. form == "compressed" ? new[] { "-c" } : [], "-o", outputBase, "--log", log, "--uri", uri];
        var r = HvMonitorBinary.Run(args);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.True(r.StdoutBytes.Length > OutputSize.UdpLimitBytes);
        Assert.Equal(form == "compressed" ? CompressedPastTheLimit : 100, VmCount(r.StdoutBytes));
        var warning = Assert.Single(File.ReadAllLines(log), l => l.Contains("warning:", StringComparison.Ordinal));
        output.WriteLine(warning);
        Assert.Contains($"at most {Limit} bytes", warning);
        Assert.Contains(form == "compressed" ? "poll this device over TCP" : "use the compressed form (-c", warning);

        // Served from the cache: the same bytes, still nothing on stderr.
        var again = HvMonitorBinary.Run(args);
        Assert.Equal("", again.Stderr);
        Assert.Equal(r.StdoutBytes, again.StdoutBytes);
    }

    [Fact]
    public void NothingWarnsBelowTheLimit()
    {
        var dir = NewDirectory("hvm-size-small-");
        // 50 ordinary domains: about 49 kB of JSON, 1.6 kB compressed.
        var uri = TestDriverHost.Uri(TestDriverHost.Write(dir, 50));
        var outputBase = Path.Combine(dir, "hv_monitor.json");
        foreach (var args in new[] { new[] { "--uri", uri }, ["--uri", uri, "-c"], ["--uri", uri, "-w", "-q", "-o", outputBase] })
        {
            var r = HvMonitorBinary.Run(args);
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("", r.Stderr);
        }
        Assert.InRange(new FileInfo(outputBase).Length, 40_000, OutputSize.UdpLimitBytes);
        var log = Path.Combine(dir, "hv-monitor.log");
        var serve = HvMonitorBinary.Run("--cache-ttl", "240", "-o", Path.Combine(dir, "serve.json"), "--log", log, "--uri", uri);
        Assert.Equal("", serve.Stderr);
        Assert.Equal(50, VmCount(serve.StdoutBytes));
        Assert.DoesNotContain("warning", File.ReadAllText(log), StringComparison.Ordinal);
    }

    public static TheoryData<string, int, int?> SnmpLimits => new()
    {
        // transport, bytes the command prints (its final newline included), bytes snmpget must deliver (null: no answer)
        { "udp", OutputSize.UdpLimitBytes, OutputSize.UdpLimitBytes - 1 },
        { "udp", 65_438 + 1, 65_438 }, // the largest value one UDP datagram carries (SNMPv2c, "public", "hv-monitor")
        { "udp", 65_439 + 1, null },   // one byte more: snmpd cannot send the reply
        { "tcp", OutputSize.ExtendBufferBytes + 1, OutputSize.ExtendBufferBytes },
        { "tcp", 150_000, OutputSize.ExtendBufferBytes }, // snmpd's extend cuts the rest
    };

    /// <summary>
    /// The limits OutputSize warns about, checked against a real snmpd and LibreNMS's snmpget: an extend
    /// whose command prints exactly N bytes of base64-like text.
    /// </summary>
    [Theory]
    [MemberData(nameof(SnmpLimits))]
    public void TheLimitsAreWhatSnmpdAndSnmpgetReallyCarry(string transport, int printed, int? delivered)
    {
        var dir = NewDirectory("hvm-size-snmp-");
        var file = Path.Combine(dir, "output");
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var random = new Random(printed);
        var text = new StringBuilder(printed);
        for (int i = 0; i < printed - 1; i++)
            text.Append(alphabet[random.Next(alphabet.Length)]);
        text.Append('\n');
        File.WriteAllText(file, text.ToString());
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);

        using var snmpd = Snmpd.Start([$"extend hv-monitor /bin/cat {file}"], tcp: transport == "tcp");
        if (delivered is null)
        {
            var e = Assert.Throws<LibreNmsException>(() => LibreNms.SnmpGet(snmpd, transport: transport, timeoutSeconds: 2));
            Assert.Contains("Timeout", e.Message, StringComparison.Ordinal);
            Assert.Contains("send response: Failure in sendto", snmpd.Log, StringComparison.Ordinal);
            return;
        }
        var got = LibreNms.SnmpGet(snmpd, transport: transport);
        var value = LibreNms.PhpTrim(got, "\n"u8);
        Assert.Equal(delivered.Value, value.Length);
        Assert.Equal(Encoding.ASCII.GetBytes(text.ToString(0, delivered.Value)), value);
    }
}
