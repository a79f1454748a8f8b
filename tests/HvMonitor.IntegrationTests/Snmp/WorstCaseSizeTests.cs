using System.Globalization;
using HvMonitor.Collector.Output;
using Xunit;
using Xunit.Abstractions;

namespace HvMonitor.IntegrationTests.Snmp;

/// <summary>
/// The README's "Output size" figures, re-measured on the worst case (random counters, 2 disks and 1 NIC per
/// VM; <see cref="WorstCaseHost"/>) and checked end to end: the largest such host the UDP limit allows goes
/// through a real snmpd and LibreNMS's snmpget whole, and a host that passes 65,438 bytes gets no answer.
/// </summary>
public sealed class WorstCaseSizeTests(ITestOutputHelper output)
{
    private const int UdpLargestValue = 65_438; // measured: TheLimitsAreWhatSnmpdAndSnmpgetReallyCarry

    [Fact]
    public void BytesPerVmAndVmCountsAtTheLimits()
    {
        output.WriteLine("counters    form        bytes/VM  VMs within 65,000 (UDP)  VMs within 102,399 (TCP)");
        foreach (var counters in new[] { WorstCaseHost.Counters.Production, WorstCaseHost.Counters.FullRange })
        {
            foreach (var compressed in new[] { false, true })
            {
                var small = Size(100, counters, compressed);
                var large = Size(300, counters, compressed);
                double perVm = (large - small) / 200.0;
                int udp = WorstCaseHost.MostVmsWithin(OutputSize.UdpLimitBytes, compressed, counters);
                int tcp = WorstCaseHost.MostVmsWithin(OutputSize.ExtendBufferBytes + 1, compressed, counters);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{counters,-11} {(compressed ? "compressed" : "plain"),-11} {perVm,8:0}  {udp,23}  {tcp,24}"));
                // The ranges the README states; a change of the output format that moves them must update it.
                (double lo, double hi) expected = (counters, compressed) switch
                {
                    (WorstCaseHost.Counters.Production, false) => (1_450, 1_750), // measured 1,593
                    (WorstCaseHost.Counters.Production, true) => (580, 720),      // 645
                    (WorstCaseHost.Counters.FullRange, false) => (1_900, 2_200),  // 2,042
                    _ => (760, 920),                                              // 834
                };
                Assert.InRange(perVm, expected.lo, expected.hi);
                Assert.InRange(udp, OutputSize.UdpLimitBytes / expected.hi - 3, OutputSize.UdpLimitBytes / expected.lo + 1);
                Assert.True(tcp > udp);
            }
        }
    }

    private static int Size(int vms, WorstCaseHost.Counters counters, bool compressed)
    {
        var json = WorstCaseHost.Json(vms, counters);
        return compressed ? WorstCaseHost.Snmp(json).Length : json.Length + 1;
    }

    /// <summary>The largest worst-case host below hv-monitor's warning threshold reaches LibreNMS whole over UDP, in every variant.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheLargestWorstCaseHostWithinTheWarningLimitReachesLibreNmsOverUdp(bool compressed)
    {
        var counters = WorstCaseHost.Counters.Production;
        int vms = WorstCaseHost.MostVmsWithin(OutputSize.UdpLimitBytes, compressed, counters);
        var json = WorstCaseHost.Json(vms, counters);
        var served = compressed ? WorstCaseHost.Snmp(json) : [.. json, (byte)'\n'];
        output.WriteLine($"{vms} VMs: {served.Length} bytes {(compressed ? "compressed" : "plain")}");

        var got = Serve(served, out var snmpd);
        using (snmpd)
        {
            var releases = compressed ? new[] { LibreNms.Release.Current, LibreNms.Release.Before24_4 } : [LibreNms.Release.Current];
            foreach (var release in releases)
                Assert.Equal(vms, LibreNms.JsonAppGet(got, release).GetProperty("data").GetProperty("VMs").EnumerateObject().Count());
            if (compressed)
                Assert.Equal(json, LibreNms.DecodeToJsonText(got, LibreNms.Release.Current));
        }
    }

    /// <summary>The first worst-case host whose compressed output passes what one UDP datagram carries gets no answer.</summary>
    [Fact]
    public void OneVmPastTheDatagramAndLibreNmsGetsNothing()
    {
        var counters = WorstCaseHost.Counters.Production;
        int fits = WorstCaseHost.MostVmsWithin(UdpLargestValue + 1, compressed: true, counters);
        var tooBig = WorstCaseHost.Snmp(WorstCaseHost.Json(fits + 1, counters));
        output.WriteLine($"{fits} VMs fit one datagram; {fits + 1} VMs are {tooBig.Length} bytes");
        Assert.True(tooBig.Length > UdpLargestValue + 1);
        var dir = Directory.CreateTempSubdirectory("hvm-worst-").FullName;
        var file = Path.Combine(dir, "hv_monitor.json.snmp");
        File.WriteAllBytes(file, tooBig);
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
        using var snmpd = Snmpd.Start([$"extend hv-monitor /bin/cat {file}"]);
        var e = Assert.Throws<LibreNmsException>(() => LibreNms.SnmpGet(snmpd, timeoutSeconds: 2));
        Assert.Equal(-2, e.Code);
    }

    private static byte[] Serve(byte[] content, out Snmpd snmpd)
    {
        var dir = Directory.CreateTempSubdirectory("hvm-worst-").FullName;
        var file = Path.Combine(dir, "hv_monitor.json.snmp");
        File.WriteAllBytes(file, content);
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
        snmpd = Snmpd.Start([$"extend hv-monitor /bin/cat {file}"]);
        return LibreNms.SnmpGet(snmpd);
    }
}
