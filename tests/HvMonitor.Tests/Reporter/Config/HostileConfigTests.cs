using System.Diagnostics;
using HvMonitor.Reporter.Config;
using Xunit;
using static HvMonitor.Tests.Reporter.Config.ConfigMessageTests;

namespace HvMonitor.Tests.Reporter.Config;

/// <summary>
/// Configuration files that would exhaust the machine or hang the reader (issue: %(x)s fan-out, /dev/zero,
/// FIFOs, huge files, NUL bytes, line ends), through the real loader on a temporary --sysroot: each is refused
/// with a clear message, quickly and in bounded memory, and every other section is still used.
/// </summary>
public class HostileConfigTests
{
    /// <summary>Ten keys, each naming the next ten times: 10^9 characters (or 10^9 empty steps) if expanded.</summary>
    public static string FanOut(string section, string leaf)
    {
        var text = new System.Text.StringBuilder($"[{section}]\ntype=libvirt\n");
        for (int i = 0; i < 9; i++)
            text.Append($"k{i}={string.Concat(Enumerable.Repeat($"%(k{i + 1})s", 10))}\n");
        text.Append($"k9={leaf}\n");
        return text.ToString();
    }

    private static (ReporterConfiguration? Configuration, List<string> Lines, string? Failure, TimeSpan Took, long Allocated) LoadMeasured(TempSysroot root)
    {
        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (configuration, log, failure) = root.Load();
        return (configuration, Lines(log), failure, clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "expands to more than 1048576 characters")]
    [InlineData("", "needs more than 100000 %(key)s substitutions")]
    public void AFanOutDropsOnlyItsSectionQuicklyAndTheIntactOneInTheSameFileIsUsed(string leaf, string reason)
    {
        using var root = new TempSysroot();
        root.DropIn("mixed.conf", FanOut("bomb", leaf) + "\n[intact]\ntype=libvirt\n");
        var (configuration, lines, failure, took, allocated) = LoadMeasured(root);
        Assert.Null(failure);
        Assert.Equal(["intact"], configuration!.Sections.Select(s => s.Name));
        Assert.Contains(lines, l => l.StartsWith("ERROR: [bomb]: option 'k0' ", StringComparison.Ordinal) && l.Contains(reason, StringComparison.Ordinal));
        Assert.Contains("WARNING: Dropping invalid configuration \"bomb\"", lines);
        Assert.True(took < TimeSpan.FromSeconds(5), $"took {took}");
        Assert.True(allocated < 256L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void InterpolationDeeperThanTenIsConfigparsersErrorForTheFile()
    {
        using var root = new TempSysroot();
        var chain = string.Concat(Enumerable.Range(0, 11).Select(i => $"d{i}=%(d{i + 1})s\n")) + "d11=end\n";
        var path = root.DropIn("deep.conf", "[deep]\ntype=libvirt\n" + chain);
        root.DropIn("ok.conf", "[ok]\ntype=libvirt\n");
        var (configuration, lines, _, _, _) = LoadMeasured(root);
        Assert.Equal(["ok"], configuration!.Sections.Select(s => s.Name));
        Assert.Contains($"ERROR: Config file \"{path}\" skipped because of an error: Recursion limit exceeded in value substitution: option 'd0' in section 'deep' contains an interpolation key which cannot be substituted in 10 steps. Raw value: '%(d1)s'", lines);
    }

    [Fact]
    public void DevZeroAndASymlinkToItAreRefusedAtOnce()
    {
        using var root = new TempSysroot();
        root.DropIn("ok.conf", "[ok]\ntype=libvirt\n");
        var link = root.Paths.Under("/etc/virt-who.d/zero.conf");
        File.CreateSymbolicLink(link, "/dev/zero");
        var (configuration, lines, failure, took, _) = LoadMeasured(root);
        Assert.Null(failure);
        Assert.Equal(["ok"], configuration!.Sections.Select(s => s.Name));
        Assert.Contains($"ERROR: Unable to read configuration file {link} (a character device, not a regular file)", lines);
        Assert.True(took < TimeSpan.FromSeconds(5), $"took {took}");

        var (_, byC, cFailure, _, _) = LoadMeasuredWithConfigs(root, "/dev/zero");
        Assert.Contains("ERROR: Unable to read configuration file /dev/zero (a character device, not a regular file)", byC);
        Assert.Equal("No valid configuration file provided using -c/--config", cFailure);
    }

    private static (ReporterConfiguration? Configuration, List<string> Lines, string? Failure, TimeSpan Took, long Allocated) LoadMeasuredWithConfigs(TempSysroot root, params string[] configs)
    {
        var (configuration, log, failure) = root.Load(configs);
        return (configuration, Lines(log), failure, TimeSpan.Zero, 0);
    }

    internal static void MakeFifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public async Task FifosInPlaceOfEveryFileReadAreRefusedWithoutBlocking()
    {
        using var root = new TempSysroot();
        root.DropIn("ok.conf", "[ok]\ntype=libvirt\nowner=o\nserver=qemu+tcp://h/system\n");
        foreach (var path in new[] { "/etc/virt-who.d/fifo.conf", "/etc/virt-who.conf", "/etc/rhsm/rhsm.conf", "/etc/machine-id", "/var/lib/virt-who/key" })
            MakeFifo(root.Paths.Under(path));
        root.DropIn("enc.conf", "[enc]\ntype=libvirt\nowner=o\nserver=qemu+tcp://h/system\nrhsm_encrypted_password=b4f98c1c1879f21addfe45f94a05b8dd\n");
        var load = Task.Run(() => LoadMeasured(root));
        var (configuration, lines, failure, _, _) = await load.WaitAsync(TimeSpan.FromSeconds(20)); // a TimeoutException if it blocked
        Assert.Null(failure);
        Assert.Equal(["ok"], configuration!.Sections.Select(s => s.Name));
        Assert.Contains($"ERROR: Unable to read configuration file {root.Paths.Under("/etc/virt-who.d/fifo.conf")} (a FIFO, not a regular file)", lines);
        Assert.Contains($"ERROR: Unable to read configuration file {root.Paths.Under("/etc/virt-who.conf")} (a FIFO, not a regular file)", lines);
        Assert.Contains($"ERROR: [enc]: Unable to read key file: '{root.Paths.Under("/var/lib/virt-who/key")}' is a FIFO, not a regular file", lines);
        Assert.Contains(lines, l => l.StartsWith($"ERROR: Unable to read {root.Paths.Under("/etc/rhsm/rhsm.conf")}, using rhsm's defaults", StringComparison.Ordinal));
        Assert.DoesNotContain("-", configuration.Global.ReporterId.Replace(System.Net.Dns.GetHostName(), "", StringComparison.Ordinal));
    }

    [Fact]
    public void AFileOverTheSizeCapIsRefusedWithItsReason()
    {
        using var root = new TempSysroot();
        var big = root.DropIn("big.conf", "[big]\ntype=libvirt\n#" + new string('x', 2 * 1024 * 1024) + "\n");
        root.DropIn("ok.conf", "[ok]\ntype=libvirt\n");
        var (configuration, lines, _, _, _) = LoadMeasured(root);
        Assert.Equal(["ok"], configuration!.Sections.Select(s => s.Name));
        Assert.Contains($"ERROR: Unable to read configuration file {big} (larger than 1048576 bytes)", lines);
    }

    [Fact]
    public void ANulInAValueDropsItsSectionInsteadOfCuttingTheUri()
    {
        using var root = new TempSysroot();
        root.DropIn("nul.conf", "[nul]\ntype=libvirt\nowner=o\nserver=qemu+tcp://good\0.evil/system\n\n[fine]\ntype=libvirt\n");
        var (configuration, lines, _, _, _) = LoadMeasured(root);
        Assert.Equal(["fine"], configuration!.Sections.Select(s => s.Name));
        Assert.Contains("ERROR: [nul]: contains a NUL character in option 'server'", lines);
        Assert.Contains("WARNING: Dropping invalid configuration \"nul\"", lines);
    }

    [Theory]
    // Python reads a text file with universal newlines: \r\n, \r and \n end a line...
    [InlineData("[a]\rtype=libvirt\rowner=o\r", "libvirt", "o")]
    [InlineData("[a]\r\ntype=libvirt\r\nowner=o\r\n", "libvirt", "o")]
    [InlineData("[a]\ntype=libvirt\rowner=o", "libvirt", "o")]
    // ...and \v, \f, \x1c-\x1e, \x85, \u2028, \u2029 (str.splitlines' extras) do not; str.strip() removes
    // them (and \x1f) at the ends of a value, which .NET's Trim does not for \x1c-\x1f.
    [InlineData("[a]\ntype=libvirt\fowner=o\n", "libvirt\fowner=o", null)]
    [InlineData("[a]\ntype=libvirt\u2028owner=o\n", "libvirt\u2028owner=o", null)]
    [InlineData("[a]\ntype=libvirt\u001c\nowner=\u001fo\u001e\n", "libvirt", "o")]
    public void LineEndsAndStrippingAsPython(string text, string type, string? owner)
    {
        var section = Assert.Single(IniParser.Parse(text, "/x.conf").Sections);
        Assert.Equal(type, section.Get("type"));
        Assert.Equal(owner, section.Get("owner"));
    }

    [Fact]
    public void ALongRunOfPercentSignsStaysLinear()
    {
        var clock = Stopwatch.StartNew();
        var section = Assert.Single(IniParser.Parse("[a]\nv=" + string.Concat(Enumerable.Repeat("%%", 400_000)) + "\n", "/x.conf").Sections);
        Assert.Equal(400_000, section.Get("v")!.Length);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void AnUnusableRhsmConfSectionFallsBackToRhsmsDefaultsWithItsReason()
    {
        using var root = new TempSysroot();
        var path = root.Write("/etc/rhsm/rhsm.conf", "[server]\nhostname=candlepin.example\0.evil\n");
        var log = new HvMonitor.Reporter.Logging.MemoryLog();
        var conf = RhsmConf.Load(root.Paths, log);
        Assert.Equal("subscription.rhsm.redhat.com", conf.Hostname);
        Assert.Contains($"ERROR: Unable to read {path}, using rhsm's defaults: [server]: contains a NUL character in option 'hostname'", Lines(log));
    }
}
