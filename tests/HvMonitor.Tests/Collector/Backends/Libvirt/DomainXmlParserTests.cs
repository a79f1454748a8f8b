using System.Text.RegularExpressions;
using HvMonitor.Collector.Backends.Libvirt;
using Xunit;

namespace HvMonitor.Tests.Collector.Backends.Libvirt;

public class DomainXmlParserTests
{
    [Theory]
    [InlineData("libvirt/dumpxml-hvm-alpha.xml")]
    [InlineData("libvirt/dumpxml-hvm-lab-two.xml")]
    [InlineData("libvirt/dumpxml-hvm-off-1.xml")]
    [InlineData("libvirt/dumpxml-hvm-spice.xml")]
    [InlineData("libvirt/test-dumpxml-test.xml")]
    public void RecordedDomainsParseToWhatTheXmlSays(string sample)
    {
        var xml = SampleFile.Read(sample);
        var config = DomainXmlParser.Parse(xml);
        Assert.Equal(Regex.Match(xml, "<name>(.*?)</name>").Groups[1].Value, config.Name);
        Assert.Equal(Regex.Match(xml, "<uuid>(.*?)</uuid>").Groups[1].Value, config.Uuid);
        Assert.Equal(ulong.Parse(Regex.Match(xml, "<memory unit='KiB'>(\\d+)</memory>").Groups[1].Value) * 1024, config.MemoryBytes);
        Assert.Equal(ulong.Parse(Regex.Match(xml, "<vcpu[^>]*>(\\d+)</vcpu>").Groups[1].Value), config.Vcpus);
        Assert.Equal(Regex.Matches(xml, "<mac address='([^']+)'/>").Select(m => m.Groups[1].Value), config.Interfaces.Select(i => i.Mac));
        Assert.Equal(Regex.Matches(xml, "<disk ").Count, config.Disks.Count);
        Assert.Equal(Regex.Matches(xml, "<graphics type='(\\w+)'").Select(m => m.Groups[1].Value), config.Graphics.Select(g => g.Type));
    }

    [Fact]
    public void AlphaHasTwoBridgedNicsTwoDisksAnIsoAndVnc()
    {
        var xml = SampleFile.Read("libvirt/dumpxml-hvm-alpha.xml");
        var c = DomainXmlParser.Parse(xml);
        Assert.Equal("qemu", c.Type);
        Assert.Equal(["vda", "vdb", "hdc"], c.Disks.Select(d => d.Target));
        Assert.EndsWith(".iso", c.Disks.Single(d => d.Device == "cdrom").SourcePath);
        Assert.All(c.Interfaces, i => Assert.Equal(("bridge", "hvmbr0"), (i.Type, i.SourceBridge)));
        var taps = Regex.Matches(xml, "<target dev='(vnet\\d+)'/>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, taps.Count);
        Assert.Equal(taps, c.Interfaces.Select(i => i.TargetDevice));
        var vnc = c.Graphics.Single();
        Assert.Equal(("vnc", "127.0.0.1", 5900), (vnc.Type, vnc.Listen, vnc.Port));
        Assert.Equal("http://debian.org/debian/12", c.OsId);
    }

    [Fact]
    public void AnInactiveDomainHasNoTargetDevicesOrPorts()
    {
        var c = DomainXmlParser.Parse(SampleFile.Read("libvirt/dumpxml-hvm-off-1.xml"));
        Assert.All(c.Interfaces, i => Assert.Null(i.TargetDevice));
        Assert.All(c.Graphics, g => Assert.Null(g.Port));
    }

    [Theory]
    [InlineData("<domain><name>a</name><memory unit='MiB'>64</memory></domain>", 64UL * 1024 * 1024)]
    [InlineData("<domain><name>a</name><memory unit='GiB'>2</memory></domain>", 2UL * 1024 * 1024 * 1024)]
    [InlineData("<domain><name>a</name><memory unit='b'>1000</memory></domain>", 1000UL)]
    [InlineData("<domain><name>a</name><memory>8</memory></domain>", 8UL * 1024)]
    public void MemoryUnits(string xml, ulong bytes) => Assert.Equal(bytes, DomainXmlParser.Parse(xml).MemoryBytes);

    [Theory]
    [InlineData("<domain><name>a</name>", "not well-formed")]
    [InlineData("<network><name>a</name></network>", "expected a <domain>")]
    [InlineData("<!DOCTYPE d [<!ENTITY x 'y'>]><domain><name>&x;</name></domain>", "not well-formed")]
    [InlineData("<domain><memory unit='parsec'>1</memory></domain>", "unknown memory unit")]
    public void BadXmlIsAFormatError(string xml, string expected)
    {
        var e = Assert.Throws<FormatException>(() => DomainXmlParser.Parse(xml));
        Assert.Contains(expected, e.Message);
    }
}
