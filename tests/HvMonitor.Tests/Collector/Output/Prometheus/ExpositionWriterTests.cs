using HvMonitor.Collector.Facts;
using HvMonitor.Collector.App;
using HvMonitor.Collector.Model;
using HvMonitor.Collector.Output.Prometheus;
using Xunit;

namespace HvMonitor.Tests.Collector.Output.Prometheus;

public class ExpositionWriterTests
{
    private static string OneSample(string labelValue)
    {
        var w = new ExpositionWriter();
        w.Family("m", MetricType.Gauge, "h");
        w.Sample("m", [("vm", labelValue)], 1);
        return w.ToString().Split('\n')[2];
    }

    [Theory]
    // Only backslash, double quote and line feed are escaped in a label value; everything else is itself.
    [InlineData("hvm \"q\" \\b", "m{vm=\"hvm \\\"q\\\" \\\\b\"} 1")]
    [InlineData("a\nb", "m{vm=\"a\\nb\"} 1")]
    [InlineData("hvm-žluťoučký-kůň", "m{vm=\"hvm-žluťoučký-kůň\"} 1")]
    [InlineData("tab\there\rcr", "m{vm=\"tab\there\rcr\"} 1")]
    [InlineData("", "m{vm=\"\"} 1")]
    [InlineData("\\n literally", "m{vm=\"\\\\n literally\"} 1")]
    public void LabelValuesAreEscapedExactlyAsTheFormatRequires(string value, string expected) =>
        Assert.Equal(expected, OneSample(value));

    [Fact]
    public void ALoneSurrogateBecomesTheReplacementCharacterSoTheTextStaysUtf8()
    {
        Assert.Equal("m{vm=\"a\uFFFDb\"} 1", OneSample("a\uD800b"));
        Assert.Equal("m{vm=\"😀\"} 1", OneSample("😀"));
    }

    [Fact]
    public void HelpEscapesBackslashAndLineFeedButNotQuotes()
    {
        var w = new ExpositionWriter();
        w.Family("m", MetricType.Gauge, "a \"b\" \\ c\nd");
        Assert.StartsWith("# HELP m a \"b\" \\\\ c\\nd\n# TYPE m gauge\n", w.ToString());
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.25, "0.25")]
    [InlineData(18446744073709551615.0, "1.8446744073709552E+19")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void ValuesAreWhatGoParseFloatReads(double value, string expected) =>
        Assert.Equal(expected, ExpositionWriter.FormatValue(value));

    [Fact]
    public void ACounterMustEndInTotalAndAFamilyIsWrittenOnce()
    {
        var w = new ExpositionWriter();
        Assert.Throws<ArgumentException>(() => w.Family("bytes", MetricType.Counter, "h"));
        w.Family("x_total", MetricType.Counter, "h");
        Assert.Throws<InvalidOperationException>(() => w.Family("x_total", MetricType.Counter, "h"));
        Assert.Throws<InvalidOperationException>(() => w.Sample("other", 1));
        Assert.Throws<ArgumentException>(() => w.Sample("x_total", [("bad-name", "v")], 1));
        Assert.Throws<ArgumentException>(() => w.Family("9starts_with_digit", MetricType.Gauge, "h"));
    }

    [Fact]
    public void TheCollectionHasNoTimestampsAndEveryVmItsLabels()
    {
        var vm = new VmFacts
        {
            Name = "hvm \"q\" \\b",
            Uuid = "95e5712a-4368-432e-a1a1-0acec562a12e",
            State = VmState.Paused,
            MemAllocBytes = 1024,
            Disks = [new DiskFacts("vda", "/img/a.qcow2") { Alloc = 10, Rtime = 1500 }],
            Interfaces = [new InterfaceFacts { If = "vnet0", Mac = "52:54:00:00:00:01", Parent = "br0", Ibytes = 7 }],
            BalloonUsableBytes = 2048,
            VcpuTimes = [new VcpuFacts(0, 1_500_000_000, null), new VcpuFacts(1, 2_000_000_000, 250_000_000)],
        };
        var result = CollectionRun.Outcome("libvirt", [vm], [], ["hvm \"q\" \\b", "gone"], deadlinePassed: true, null, TimeSpan.FromSeconds(2));
        var text = System.Text.Encoding.UTF8.GetString(PrometheusMetrics.Render(PrometheusCollection.From(result, TimeSpan.FromSeconds(2)), "1.2.3"));
        var samples = text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').ToList();
        // name{labels} value: exactly two fields after the labels, i.e. no timestamp.
        Assert.All(samples, l => Assert.Single((l.Contains('}') ? l[(l.LastIndexOf('}') + 1)..] : l[l.IndexOf(' ')..]).Trim().Split(' ')));
        Assert.Contains("hv_monitor_vm_state{vm=\"hvm \\\"q\\\" \\\\b\",uuid=\"95e5712a-4368-432e-a1a1-0acec562a12e\",state=\"paused\"} 1", samples);
        Assert.Contains("hv_monitor_vm_disk_read_seconds_total{vm=\"hvm \\\"q\\\" \\\\b\",uuid=\"95e5712a-4368-432e-a1a1-0acec562a12e\",disk=\"vda\"} 1.5", samples);
        Assert.Contains("hv_monitor_vm_interface_info{vm=\"hvm \\\"q\\\" \\\\b\",uuid=\"95e5712a-4368-432e-a1a1-0acec562a12e\",interface=\"nic0\",device=\"vnet0\",mac=\"52:54:00:00:00:01\",parent=\"br0\"} 1", samples);
        Assert.Contains("hv_monitor_vm_balloon_usable_bytes{vm=\"hvm \\\"q\\\" \\\\b\",uuid=\"95e5712a-4368-432e-a1a1-0acec562a12e\"} 2048", samples);
        Assert.Contains("hv_monitor_vm_vcpu_time_seconds_total{vm=\"hvm \\\"q\\\" \\\\b\",uuid=\"95e5712a-4368-432e-a1a1-0acec562a12e\",vcpu=\"0\"} 1.5", samples);
        Assert.Contains("hv_monitor_vm_vcpu_wait_seconds_total{vm=\"hvm \\\"q\\\" \\\\b\",uuid=\"95e5712a-4368-432e-a1a1-0acec562a12e\",vcpu=\"1\"} 0.25", samples);
        Assert.DoesNotContain(samples, l => l.StartsWith("hv_monitor_vm_vcpu_wait_seconds_total", StringComparison.Ordinal) && l.Contains("vcpu=\"0\"", StringComparison.Ordinal));
        // The VM the deadline cut off is named; the run is up (a VM was collected) but not complete.
        Assert.Contains("hv_monitor_vm_missing{vm=\"gone\"} 1", samples);
        Assert.Contains("hv_monitor_up 1", samples);
        Assert.Contains("hv_monitor_collection_complete 0", samples);
        // No process: no process figures, rather than zeros; no balloon figure the backend did not give.
        Assert.DoesNotContain(samples, l => l.StartsWith("hv_monitor_vm_process_", StringComparison.Ordinal));
        Assert.DoesNotContain(samples, l => l.StartsWith("hv_monitor_vm_balloon_unused_bytes", StringComparison.Ordinal));
        // Every family's samples follow its own HELP and TYPE lines.
        string? family = null;
        foreach (var line in text.Split('\n').Where(l => l.Length > 0))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
                family = line.Split(' ')[2];
            else if (line[0] != '#')
                Assert.StartsWith(family + "{", line.Contains('{') ? line : line.Split(' ')[0] + "{");
        }
    }
}
