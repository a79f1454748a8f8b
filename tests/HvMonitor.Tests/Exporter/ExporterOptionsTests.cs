using HvMonitor.Collector.Cli;
using HvMonitor.Exporter;
using Xunit;

namespace HvMonitor.Tests.Exporter;

public class ExporterOptionsTests
{
    [Theory]
    [InlineData(":9977", null, 9977)]
    [InlineData("127.0.0.1:19977", "127.0.0.1", 19977)]
    [InlineData("[::1]:9977", "::1", 9977)]
    [InlineData("localhost:80", "localhost", 80)]
    public void ListenAddressesAreHostAndPort(string value, string? host, int port) =>
        Assert.Equal((host, port), ExporterOptions.SplitListenAddress(value));

    [Theory]
    [InlineData("--web.listen-address", "9977")]
    [InlineData("--web.listen-address", "::1:9977")]
    [InlineData("--web.listen-address", ":0")]
    [InlineData("--web.listen-address", "example.org:9977")]
    [InlineData("--web.telemetry-path", "/")]
    [InlineData("--web.telemetry-path", "metrics")]
    [InlineData("--timeout", "0")]
    [InlineData("--backend", "xen")]
    [InlineData("--nonsense", "x")]
    public void BadFlagsAreUsageErrors(string flag, string value) =>
        Assert.Throws<UsageException>(() => ExporterOptions.Parse([flag, value]));

    [Fact]
    public void DefaultsAndBothFlagForms()
    {
        var d = ExporterOptions.Parse([]);
        Assert.Equal(":9977", d.ListenAddress);
        Assert.Equal("/metrics", d.TelemetryPath);
        Assert.Equal(TimeSpan.FromSeconds(9), d.Timeout);
        var o = ExporterOptions.Parse(["--web.listen-address=127.0.0.1:1234", "--web.telemetry-path", "/m", "--uri=test:///default", "--timeout", "4"]);
        Assert.Equal("127.0.0.1:1234", o.ListenAddress);
        Assert.Equal("/m", o.TelemetryPath);
        Assert.Equal("test:///default", o.Settings.LibvirtUri);
        Assert.Equal(TimeSpan.FromSeconds(2), o.Settings.CommandTimeout);
    }

    [Fact]
    public void LibvirtVersionsAreDotted() => Assert.Equal("9.0.0", SharedCollection.Dotted(9_000_000));
}

public class PrometheusFactsTests
{
    [Fact]
    public void TheFactsBuilderReadsBalloonStateReasonAndVcpuTimes()
    {
        var stats = HvMonitor.Collector.Backends.Libvirt.DomstatsRawParser.Parse("""
            Domain: 'hvm-alpha'
              state.state=1
              state.reason=5
              balloon.current=262144
              balloon.maximum=262144
              balloon.available=230000
              balloon.unused=100000
              balloon.usable=150000
              vcpu.current=2
              vcpu.maximum=2
              vcpu.0.time=1500000000
              vcpu.0.wait=0
              vcpu.1.time=7

            """).Single();
        var f = HvMonitor.Collector.Backends.Libvirt.LibvirtFactsBuilder.Build(stats, null, 0, null, _ => null);
        Assert.Equal(5, f.StateReason);
        Assert.Equal(262144UL * 1024, f.BalloonCurrentBytes);
        Assert.Equal(230000UL * 1024, f.BalloonAvailableBytes);
        Assert.Equal(100000UL * 1024, f.BalloonUnusedBytes);
        Assert.Equal(150000UL * 1024, f.BalloonUsableBytes);
        Assert.Equal([new HvMonitor.Collector.Facts.VcpuFacts(0, 1_500_000_000, 0), new HvMonitor.Collector.Facts.VcpuFacts(1, 7, null)], f.VcpuTimes);
        // The LibreNMS figures are untouched by the new facts.
        var vm = HvMonitor.Collector.Model.HvDataBuilder.BuildVm(f);
        Assert.Equal(262144UL * 1024, vm.MemAlloc);
    }
}
