using System.Text;
using HvMonitor.Collector.App;
using HvMonitor.Collector.Output;
using Xunit;

namespace HvMonitor.Tests.Collector.Output;

/// <summary>Serve mode: a run that serves a cached envelope exits as the run that wrote it did.</summary>
public sealed class OutputCacheTests
{
    [Theory]
    [InlineData("""{"version":1,"error":0,"errorString":"","data":{}}""", 0)]
    [InlineData("""{"version":1,"error":0,"errorString":"incomplete: collection did not finish","data":{}}""", 3)]
    [InlineData("""{"version":1,"error":0,"errorString":"warning: domain 'x': ...","data":{}}""", 3)]
    [InlineData("""{"version":1,"error":2,"errorString":"cannot connect to libvirt","data":{}}""", 1)]
    [InlineData("""{"version":1,"errorString":"","data":{}}""", 1)]
    [InlineData("stale", 1)]
    [InlineData("", 1)]
    public void TheExitCodeIsReadFromTheServedEnvelope(string json, int exit)
    {
        Assert.Equal(exit, OutputCache.ExitCodeOf(Encoding.UTF8.GetBytes(json + "\n"), compressed: false));
        var compressed = Encoding.ASCII.GetBytes(SnmpCompression.GzipBase64(Encoding.UTF8.GetBytes(json)) + "\n");
        Assert.Equal(exit, OutputCache.ExitCodeOf(compressed, compressed: true));
    }

    [Fact]
    public void TextThatIsNotBase64IsNoEnvelope() => Assert.Equal(1, OutputCache.ExitCodeOf("%%%not base64\n"u8.ToArray(), compressed: true));
}
