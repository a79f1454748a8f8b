using System.Text;
using System.Text.RegularExpressions;
using HvMonitor.Collector.Output;
using Xunit;

namespace HvMonitor.Tests.Collector.Output;

public class SnmpCompressionTests
{
    // LibreNMS json_app_get: base64 if it matches this and not ^[0-9]+\n
    private static readonly Regex LibreNmsBase64 = new("^[A-Za-z0-9/+\\n]+=*\\n*$");

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"version\":1,\"error\":0,\"errorString\":\"\",\"data\":{\"hv\":\"libvirt\",\"VMs\":{\"žluť\":{}}}}")]
    public void OneLineOfBase64ThatLibreNmsRecognisesAndDecodesBack(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var line = SnmpCompression.GzipBase64(bytes);
        Assert.DoesNotContain("\n", line);
        Assert.Matches(LibreNmsBase64, line + "\n");
        Assert.DoesNotMatch(new Regex("^[0-9]+\\n"), line + "\n");
        Assert.Equal(bytes, SnmpCompression.Decode(line));
    }

    [Fact]
    public void IsRealGzip()
    {
        var raw = Convert.FromBase64String(SnmpCompression.GzipBase64("{\"a\":1}"u8));
        Assert.Equal(0x1f, raw[0]);
        Assert.Equal(0x8b, raw[1]);
    }

    [Fact]
    public void CompressesRepetitiveJsonWell()
    {
        var json = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"rbytes\":0,\"wbytes\":0,\"rreqs\":0},", 500)));
        Assert.True(SnmpCompression.GzipBase64(json).Length < json.Length / 10);
    }
}
