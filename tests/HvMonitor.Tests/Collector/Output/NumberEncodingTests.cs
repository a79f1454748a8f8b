using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HvMonitor.Collector.Backends.Libvirt;
using HvMonitor.Collector.Facts;
using HvMonitor.Collector.Model;
using HvMonitor.Collector.Output;
using Xunit;

namespace HvMonitor.Tests.Collector.Output;

/// <summary>
/// rrdtool rejects a whole RRD update when a DERIVE value is not a simple signed 64-bit integer: every whole
/// number is written as one, clamped to 2^63-1; decimals (GAUGE, DDERIVE) never use an exponent.
/// </summary>
public partial class NumberEncodingTests
{
    private static JsonElement Serialize(Envelope e) => JsonDocument.Parse(LibreNmsSerializer.ToUtf8Json(e)).RootElement.Clone();

    [Fact]
    public void WholeNumbersAboveInt64AreClampedAndTotalsSaturateInsteadOfWrapping()
    {
        var big = new ProcessStats { Minflt = ulong.MaxValue - 1, Nvcsw = (ulong)long.MaxValue + 5 };
        var vms = new[]
        {
            new VmFacts { Name = "a", Process = big, Interfaces = [new InterfaceFacts { Ibytes = ulong.MaxValue }] },
            new VmFacts { Name = "b", Process = big, Interfaces = [new InterfaceFacts { Ibytes = 10 }] },
        };
        var data = HvDataBuilder.Build("libvirt", vms);
        Assert.Equal(ulong.MaxValue, data.Totals.Minflt); // saturated, not wrapped to a small number
        Assert.Equal(ulong.MaxValue, data.Totals.Ibytes);
        var json = Encoding.UTF8.GetString(LibreNmsSerializer.ToUtf8Json(new Envelope { Data = data }));
        Assert.Contains("\"minflt\":9223372036854775807", json);
        Assert.Contains("\"ibytes\":9223372036854775807", json);
        Assert.DoesNotContain("18446744073709551615", json);
    }

    [Theory]
    [InlineData(0.1 + 0.2, "0.3")]
    [InlineData(1e16, "10000000000000000")]
    [InlineData(1.5e-7, "0")]
    [InlineData(123.4567891, "123.456789")]
    [InlineData(-0.0, "0")]
    [InlineData(double.NaN, "0")]
    [InlineData(double.PositiveInfinity, "0")]
    [InlineData(250.5, "250.5")]
    public void DecimalsArePlainPositionalNumbers(double value, string expected)
    {
        Assert.Equal(expected, PlainDecimalConverter.Format(value));
        var vm = new VmFacts { Name = "v", Process = new ProcessStats { Pcpu = value, Usertime = value } };
        var json = Encoding.UTF8.GetString(LibreNmsSerializer.ToUtf8Json(new Envelope { Data = HvDataBuilder.Build("libvirt", [vm]) }));
        Assert.Contains("\"pcpu\":" + expected + ",", json);
        JsonDocument.Parse(json);
    }

    [Fact]
    public void DiskTimesAreMillisecondsWithTheFractionOfTheNanoseconds()
    {
        Assert.Equal(1.234567, LibvirtFactsBuilder.NsToMs(1_234_567));
        Assert.Equal(0.000001, LibvirtFactsBuilder.NsToMs(1));
        Assert.Equal(18446744073709.551615, LibvirtFactsBuilder.NsToMs(ulong.MaxValue), 3);
        var disk = new DiskFacts("vda", null) { Rtime = LibvirtFactsBuilder.NsToMs(83_195), Wtime = 0.1, Ftime = 0.2 };
        var data = HvDataBuilder.Build("libvirt", [new VmFacts { Name = "v", Disks = [disk] }]);
        var root = Serialize(new Envelope { Data = data });
        var json = root.GetRawText();
        Assert.Contains("\"rtime\":0.083195", json);
        Assert.Equal(0.083195, root.GetProperty("data").GetProperty("totals").GetProperty("rtime").GetDouble());
    }

    /// <summary>Every number outside the DDERIVE and GAUGE decimals is a plain integer: no '.', no exponent.</summary>
    [Fact]
    public void OnlyTheDecimalFieldsEverCarryAFraction()
    {
        var decimals = new HashSet<string> { "pcpu", "pmem", "usertime", "systime", "rtime", "wtime", "ftime" };
        var process = new ProcessStats { Pcpu = 1.5, Pmem = 0.25, Usertime = 3.75, Systime = 1e17, Minflt = ulong.MaxValue, Pri = -1 };
        var disk = new DiskFacts("vda", null) { Rtime = 0.5, Wtime = 1e20, Ftime = 2.25, Rbytes = ulong.MaxValue };
        var data = HvDataBuilder.Build("libvirt", [new VmFacts { Name = "v", Process = process, Disks = [disk] }]);
        var json = Encoding.UTF8.GetString(LibreNmsSerializer.ToUtf8Json(new Envelope { Data = data }));
        int seen = 0;
        foreach (Match m in NumberMember().Matches(json))
        {
            seen++;
            var (key, value) = (m.Groups[1].Value, m.Groups[2].Value);
            Assert.DoesNotContain('e', value.ToLowerInvariant());
            if (!decimals.Contains(key))
                Assert.True(long.TryParse(value, out _), $"{key} = {value} is not an int64");
        }
        Assert.True(seen > 100, $"only {seen} numbers seen");
    }

    [GeneratedRegex(@"""([a-z_]+)"":(-?[0-9][0-9.eE+-]*)")]
    private static partial Regex NumberMember();
}
