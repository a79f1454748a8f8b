using System.Text;
using System.Text.Json;
using HvMonitor.Collector.Facts;
using HvMonitor.Collector.Model;
using HvMonitor.Collector.Output;
using Xunit;

namespace HvMonitor.Tests.Collector.Output;

public class LibreNmsSerializerTests
{
    private static Envelope WithVm(string name)
    {
        var data = HvDataBuilder.Build("libvirt", [new VmFacts { Name = name, State = VmState.Running, Cpus = 1 }]);
        return new Envelope { Data = data };
    }

    private static string Serialize(Envelope e) => Encoding.UTF8.GetString(LibreNmsSerializer.ToUtf8Json(e));

    [Theory]
    [InlineData("žluťoučký kůň")]
    [InlineData("日本語の名前")]
    [InlineData("emoji 🚀 vm")]
    [InlineData("a+b<c>&d'e")]
    public void NonAsciiAndHtmlCharactersAreWrittenAsIsWithoutBackslashes(string name)
    {
        var json = Serialize(WithVm(name));
        Assert.Contains("\"" + name + "\"", json);
        // LibreNMS runs stripslashes() before json_decode(): a clean name must not produce any backslash.
        Assert.DoesNotContain("\\", json);
        Assert.True(JsonDocument.Parse(json).RootElement.GetProperty("data").GetProperty("VMs").TryGetProperty(name, out _));
    }

    [Theory]
    [InlineData("say \"hi\"")]
    [InlineData("back\\slash")]
    [InlineData("tab\there")]
    [InlineData("ctl\u0001char")]
    public void NamesThatNeedEscapingStillGiveValidJsonThatRoundTrips(string name)
    {
        var json = Serialize(WithVm(name));
        using var doc = JsonDocument.Parse(json);
        var vms = doc.RootElement.GetProperty("data").GetProperty("VMs");
        Assert.Equal(name, vms.EnumerateObject().Single().Name);
    }

    [Fact]
    public void EnvelopeHasTheFourLibreNmsKeysInOrder()
    {
        var json = Serialize(new Envelope { Error = 2, ErrorString = "boom", Data = new HvData { Hv = "libvirt" } });
        Assert.StartsWith("{\"version\":1,\"error\":2,\"errorString\":\"boom\",\"data\":{\"hv\":\"libvirt\",\"VMs\":{},\"totals\":{", json);
    }

    [Fact]
    public void EveryNumberIsAJsonNumberNeverAString()
    {
        var facts = new VmFacts
        {
            Name = "vm",
            State = VmState.Paused,
            Process = new ProcessStats { Pcpu = 3.0, Pmem = 0.5, Pri = 19, Usertime = 1.25 },
            Disks = [new DiskFacts("vda", "/x.qcow2") { Alloc = 1 }],
            Interfaces = [new InterfaceFacts { If = "vnet0", Mac = "52:54:00:00:00:01", Parent = "br0" }],
        };
        using var doc = JsonDocument.Parse(Serialize(new Envelope { Data = HvDataBuilder.Build("libvirt", [facts]) }));
        var textKeys = new HashSet<string> { "os_type", "ip", "console_type", "console", "if", "mac", "parent", "hv", "errorString" };
        AssertNumbers(doc.RootElement, textKeys);
    }

    private static void AssertNumbers(JsonElement element, HashSet<string> textKeys)
    {
        foreach (var p in element.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Object)
                AssertNumbers(p.Value, textKeys);
            else if (textKeys.Contains(p.Name))
                Assert.Equal(JsonValueKind.String, p.Value.ValueKind);
            else
                Assert.True(p.Value.ValueKind == JsonValueKind.Number, $"{p.Name} is {p.Value.ValueKind}");
        }
    }

    [Fact]
    public void PrettyIsIndentedAndEquivalent()
    {
        var e = WithVm("vm");
        var compact = Encoding.UTF8.GetString(LibreNmsSerializer.ToUtf8Json(e));
        var pretty = Encoding.UTF8.GetString(LibreNmsSerializer.ToUtf8Json(e, pretty: true));
        Assert.DoesNotContain("\n", compact);
        Assert.Contains("\n  \"version\": 1", pretty);
        Assert.Equal(compact, JsonSerializer.Serialize(JsonDocument.Parse(pretty).RootElement, new JsonSerializerOptions { Encoder = LibreNmsJsonEncoder.Instance }));
    }
}
