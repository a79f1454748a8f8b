using System.Globalization;
using HvMonitor.Collector.Procfs;
using Xunit;

namespace HvMonitor.Tests.Collector.Procfs;

public class ProcParsersTests
{
    private static SystemInfo RecordedSystem() => new(
        SystemInfo.ParseUptime(SampleFile.Read("libvirt/proc-uptime.txt")),
        SystemInfo.ParseMemTotalKiB(SampleFile.Read("libvirt/proc-meminfo-head.txt")),
        long.Parse(SampleFile.Read("libvirt/getconf-clk-tck.txt").Trim(), CultureInfo.InvariantCulture));

    /// <summary>
    /// /proc/PID/stat, status, uptime and meminfo were recorded together with `ps -o ...` for the same
    /// process: our arithmetic must print what ps printed.
    /// </summary>
    [Fact]
    public void RecordedProcessGivesExactlyWhatPsPrinted()
    {
        var ps = SampleFile.Read("libvirt/ps-hvm-alpha.txt").Split('\n');
        var header = ps[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var row = ps[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string Col(string name) => row[Array.IndexOf(header, name)];
        double D(string name) => double.Parse(Col(name), CultureInfo.InvariantCulture);

        var stat = ProcStatParser.Parse(SampleFile.Read("libvirt/proc-stat-hvm-alpha.txt"));
        var status = ProcStatusParser.Parse(SampleFile.Read("libvirt/proc-status-hvm-alpha.txt"));
        var ours = PsCalculator.Compute(stat, status, RecordedSystem());

        Assert.Equal(int.Parse(Col("PID"), CultureInfo.InvariantCulture), stat.Pid);
        Assert.Equal(D("%CPU"), ours.Pcpu);
        Assert.Equal(D("%MEM"), ours.Pmem);
        Assert.Equal((ulong)D("ELAPSED"), ours.Etimes);
        Assert.Equal((long)D("PRI"), ours.Pri);
        Assert.Equal((long)D("NI"), ours.Nice);
        Assert.Equal((ulong)D("VSZ") * 1024, ours.Vsz);
        Assert.Equal((ulong)D("RSS") * 1024, ours.Rss);
        Assert.Equal((ulong)D("MAJFL"), ours.Majflt);
        Assert.Equal((ulong)D("MINFL"), ours.Minflt);
        Assert.Equal((ulong)D("TIME"), (ulong)(ours.Usertime + ours.Systime));
    }

    [Fact]
    public void StatusGivesContextSwitchesAndRss()
    {
        var text = SampleFile.Read("libvirt/proc-status-hvm-lab-two.txt");
        var status = ProcStatusParser.Parse(text);
        string Value(string key) => text.Split('\n').First(l => l.StartsWith(key + ":")).Split(':')[1].Trim().Split(' ')[0];
        Assert.Equal(ulong.Parse(Value("voluntary_ctxt_switches")), status.VoluntaryCtxtSwitches);
        Assert.Equal(ulong.Parse(Value("nonvoluntary_ctxt_switches")), status.NonvoluntaryCtxtSwitches);
        Assert.Equal(ulong.Parse(Value("VmRSS")), status.VmRssKiB);
    }

    [Fact]
    public void ACommWithSpacesAndParenthesesDoesNotShiftTheFields()
    {
        var line = "42 (we ird) (x) S 1 42 42 0 -1 4194304 111 0 222 0 333 444 0 0 20 0 1 0 5555 123456 77 18446744073709551615";
        var stat = ProcStatParser.Parse(line);
        Assert.Equal("we ird) (x", stat.Comm);
        Assert.Equal((111UL, 222UL, 333UL, 444UL, 20L, 0L, 5555UL, 123456UL, 77L),
            (stat.MinFlt, stat.MajFlt, stat.UTimeTicks, stat.STimeTicks, stat.Priority, stat.Nice, stat.StartTimeTicks, stat.VSizeBytes, stat.RssPages));
    }

    [Theory]
    [InlineData("")]
    [InlineData("42 qemu S 1")]
    [InlineData("42 (qemu) S 1 2 3")]
    [InlineData("42 (qemu) S 1 42 42 0 -1 4194304 x 0 222 0 333 444 0 0 20 0 1 0 5555 123456 77")]
    public void BrokenStatLinesAreParseErrorsThatQuoteTheLine(string line)
    {
        var e = Assert.Throws<ProcParseException>(() => ProcStatParser.Parse(line));
        Assert.Contains("/proc/PID/stat", e.Message);
    }

    [Fact]
    public void RecordedCommandLineNamesTheGuest()
    {
        // Recorded with NULs shown as newlines (see the sample's first line); put them back.
        var cmdline = SampleFile.Read("libvirt/proc-cmdline-hvm-alpha.txt").Replace('\n', '\0');
        Assert.Equal("hvm-alpha", QemuCommandLine.GuestName(cmdline));
    }

    [Theory]
    [InlineData("350735.47 234388.90\n", 350735.47)]
    [InlineData("12.00 1.00", 12.0)]
    public void Uptime(string text, double expected) => Assert.Equal(expected, SystemInfo.ParseUptime(text));

    [Fact]
    public void MemTotalMustBeThere() =>
        Assert.Throws<ProcParseException>(() => SystemInfo.ParseMemTotalKiB("MemFree: 1 kB\n"));
}
