using System.Text.RegularExpressions;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter.Config;

/// <summary>
/// The configuration's log lines, levels and exit codes as virt-who 1.32.1 prints them, through the published
/// binary on a throw-away --sysroot. The local source is libvirt's test driver through LIBVIRT_DEFAULT_URI (no
/// daemon, no lab lock). Each line is matched whole, after its timestamp.
/// </summary>
public sealed partial class ReportConfigLinesTests
{
    private const string TestUri = "test:///default";

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?<line>\[[A-Z]+\] .*)$")]
    private static partial Regex LogLine();

    /// <summary>Every stderr log line without its timestamp: "[LEVEL] message".</summary>
    private static List<string> Lines(CommandResult r) =>
        r.Stderr.Split('\n').Select(l => LogLine().Match(l)).Where(m => m.Success).Select(m => m.Groups["line"].Value).ToList();

    private static CommandResult Run(ReportRun run, params string[] args) =>
        HvMonitorBinary.RunWithEnv(new Dictionary<string, string> { ["LIBVIRT_DEFAULT_URI"] = TestUri }, ["report", .. args, "--sysroot", run.Root]);

    private const string IntervalLine = "[WARNING] [global]: Interval value can't be lower than 60 seconds. Default value of 3600 seconds will be used.";

    [Theory]
    [InlineData("-i", "5")]
    [InlineData("--interval=")]
    [InlineData("-i", "abc")]
    [InlineData("-i5")]
    public void ABadCommandLineIntervalIsTheGlobalSectionsWarningOnce(params string[] flag)
    {
        using var run = ReportRun.With("[local]\ntype=libvirt\n", "[global]\ninterval=600\n");
        var r = Run(run, ["-p", .. flag]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Single(Lines(r), l => l == IntervalLine);
        Assert.DoesNotContain(Lines(r), l => l.Contains("Interval value", StringComparison.Ordinal) && l != IntervalLine);
    }

    [Fact]
    public void AMissingDashCFileIsNamedThenRefused()
    {
        using var run = ReportRun.With("[local]\ntype=libvirt\n");
        var r = Run(run, "-p", "-c", "/nonexistent.conf");
        Assert.Equal(1, r.ExitCode);
        var lines = Lines(r);
        int named = lines.IndexOf("[ERROR] Unable to read configuration file /nonexistent.conf");
        Assert.True(named >= 0, r.Stderr);
        Assert.Equal("[ERROR] No valid configuration file provided using -c/--config", lines[named + 1]);
    }

    [Fact]
    public void OnlyInvalidSectionsAreWarningsThenTheErrorThatStops()
    {
        using var run = ReportRun.With("[t]\ntype=libvirt\nhypervisor_id=x\n");
        var r = Run(run, "-p");
        Assert.Equal(1, r.ExitCode);
        var lines = Lines(r);
        Assert.Equal(
            [
                "[ERROR] [t]: Invalid option: \"x\" for hypervisor_id, use one of: (uuid, hostname)",
                "[WARNING] Dropping invalid configuration \"t\"",
                "[WARNING] No valid configurations found",
                "[ERROR] hv-monitor can't be started: no valid configuration found",
            ],
            lines.SkipWhile(l => !l.StartsWith("[ERROR] [t]:", StringComparison.Ordinal)).ToList());
    }

    [Fact]
    public void AnEmptyDropInDirectoryIsNamedAndTheCmdlineSectionIsAWarning()
    {
        using var run = ReportRun.With("");
        File.Delete(Path.Combine(run.Root, "etc", "virt-who.d", "test.conf"));
        var r = Run(run, "-p");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = Lines(r);
        Assert.Contains($"[WARNING] Configuration directory '{run.Root}/etc/virt-who.d/' appears empty", lines);
        Assert.Contains("[WARNING] Using default \"cmdline\" configuration", lines);
        Assert.DoesNotContain(lines, l => l.Contains("Using default \"cmdline\"", StringComparison.Ordinal) && l.StartsWith("[INFO]", StringComparison.Ordinal));
    }

    [Fact]
    public void FilesWithoutSectionHeadersEndWithTheCannotStartLine()
    {
        using var run = ReportRun.With("owner=x\n");
        var r = Run(run, "-p");
        Assert.Equal(1, r.ExitCode);
        var lines = Lines(r);
        Assert.Equal(
            [
                $"[ERROR] Configuration file {run.Root}/etc/virt-who.d/test.conf contains no section headers",
                "[ERROR] The configuration files do not have any valid section headers",
                "[ERROR] hv-monitor can't be started: no valid configuration found",
            ],
            lines.Where(l => l.StartsWith("[ERROR]", StringComparison.Ordinal)).ToList());
    }

    [Fact]
    public void AnEncryptedRhsmPasswordThatIsNotHexWarnsAndKeepsTheSectionWithoutAKeyFile()
    {
        using var run = ReportRun.With("[local]\ntype=libvirt\nowner=o\nrhsm_encrypted_password=zz\n");
        var r = Run(run, "-p");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("[WARNING] [local]: Option \"rhsm_encrypted_password\" cannot be decrypted, possibly corrupted", Lines(r));
        Assert.DoesNotContain("Unable to read key file", r.Stderr);
        Assert.Contains(TestDriverGuest(), r.Stdout);
    }

    private static string TestDriverGuest() =>
        GroundTruth.Virsh(TestUri, "list", "--all", "--uuid").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single();

    [Fact]
    public void ALocalSectionOpensLibvirtsOwnDefault()
    {
        using var run = ReportRun.With("[local]\ntype=libvirt\n");
        var (hypervisors, r) = (Run(run, "-p"), 0);
        Assert.True(hypervisors.ExitCode == 0, hypervisors.Stderr);
        Assert.Contains("[INFO] Using libvirt url: \"\"", Lines(hypervisors));
        Assert.Contains($"\"guestId\": \"{TestDriverGuest()}\"", hypervisors.Stdout);
    }

    /// <summary>
    /// Without LIBVIRT_DEFAULT_URI, libvirt's own choice applies: for a non-root user, uri_default in
    /// $XDG_CONFIG_HOME/libvirt/libvirt.conf. (hv-monitor used to open qemu:///system here.) The binary is copied
    /// where the unprivileged user can run it.
    /// </summary>
    [Fact]
    public void ALocalSectionFollowsUriDefaultFromLibvirtConf()
    {
        using var run = ReportRun.With("[local]\ntype=libvirt\n");
        var home = Directory.CreateTempSubdirectory("hvm-nobody-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(home, "libvirt"));
            File.WriteAllText(Path.Combine(home, "libvirt", "libvirt.conf"), $"uri_default = \"{TestUri}\"\n");
            var binary = Path.Combine(home, "hv-monitor");
            File.Copy(HvMonitorBinary.Path, binary);
            Shell.Check("chmod", "-R", "a+rwX", home, run.Root);
            var r = Shell.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "env", "-u", "LIBVIRT_DEFAULT_URI",
                $"HOME={home}", $"XDG_CONFIG_HOME={home}", $"XDG_RUNTIME_DIR={home}", binary, "report", "-p", "--sysroot", run.Root]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.Contains("[INFO] Using libvirt url: \"\"", Lines(r));
            Assert.Contains($"\"guestId\": \"{TestDriverGuest()}\"", r.Stdout);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void HostileFilesAreRefusedQuicklyAndTheIntactSectionIsPrinted()
    {
        using var run = ReportRun.With("[local]\ntype=libvirt\n");
        var dir = Path.Combine(run.Root, "etc", "virt-who.d");
        File.WriteAllText(Path.Combine(dir, "bomb.conf"), HostileFiles.FanOut("bomb") + "\n[same-file]\ntype=libvirt\n");
        HostileFiles.MakeFifo(Path.Combine(dir, "fifo.conf"));
        File.CreateSymbolicLink(Path.Combine(dir, "zero.conf"), "/dev/zero");
        HostileFiles.MakeFifo(Path.Combine(run.Root, "etc", "machine-id"));
        File.WriteAllText(Path.Combine(dir, "nul.conf"), "[nul]\ntype=libvirt\nowner=o\nserver=test:///default\0/evil\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = Shell.Run(HvMonitorBinary.Path, ["report", "-p", "--sysroot", run.Root], new Dictionary<string, string> { ["LIBVIRT_DEFAULT_URI"] = TestUri }, TimeSpan.FromSeconds(60));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = Lines(r);
        Assert.Contains(lines, l => l.StartsWith("[ERROR] [bomb]: option 'k0' expands to more than 1048576 characters", StringComparison.Ordinal));
        Assert.Contains($"[ERROR] Unable to read configuration file {dir}/fifo.conf (a FIFO, not a regular file)", lines);
        Assert.Contains($"[ERROR] Unable to read configuration file {dir}/zero.conf (a character device, not a regular file)", lines);
        Assert.Contains("[ERROR] [nul]: contains a NUL character in option 'server'", lines);
        Assert.Contains("[INFO] Using config named 'local'", lines);
        Assert.Contains("[INFO] Using config named 'same-file'", lines);
        Assert.DoesNotContain("Using config named 'nul'", r.Stderr);
        Assert.Contains(TestDriverGuest(), r.Stdout);
    }

    [Fact]
    public void SysrootBeforeEncryptPasswordWorksAndARefusedLineDoesNotEchoThePassword()
    {
        using var run = ReportRun.With("");
        var ok = HvMonitorBinary.Run("report", "--sysroot", run.Root, "encrypt-password", "-p", "Pw-Secret-1");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Matches("^[0-9a-f]{32}\n$", ok.Stdout);
        Assert.True(File.Exists(Path.Combine(run.Root, "var", "lib", "virt-who", "key")));

        var refused = HvMonitorBinary.Run("report", "--sysroot", run.Root, "--bogus", "encrypt-password", "-p", "Pw-Secret-1");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("error: unrecognized arguments", refused.Stderr);
        Assert.DoesNotContain("Pw-Secret-1", refused.Stderr + refused.Stdout);
    }

    public static TheoryData<int> MutationSeeds()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < 12; i++)
            data.Add(i);
        return data;
    }

    /// <summary>A few of the loader's property cases through the binary: exit 0, quickly, the intact section printed.</summary>
    [Theory]
    [MemberData(nameof(MutationSeeds))]
    public void AMutatedDropInLeavesTheIntactSectionPrinted(int seed)
    {
        var victim = HostileFiles.Mutate("[DEFAULT]\nbase=test:///default\n[victim]\ntype=libvirt\nserver=%(base)s\nowner=o\nfilter_hosts=*\n", new Random(seed));
        using var run = ReportRun.With("[intact]\ntype=libvirt\n");
        File.WriteAllText(Path.Combine(run.Root, "etc", "virt-who.d", "victim.conf"), victim);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = Shell.Run(HvMonitorBinary.Path, ["report", "-p", "--sysroot", run.Root], new Dictionary<string, string> { ["LIBVIRT_DEFAULT_URI"] = TestUri }, TimeSpan.FromSeconds(60));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"case {seed} took {clock.Elapsed}");
        Assert.True(r.ExitCode == 0, $"case {seed}: exit {r.ExitCode}\n{r.Stderr}");
        Assert.Contains("[INFO] Using config named 'intact'", Lines(r));
        Assert.Contains(TestDriverGuest(), r.Stdout);
        Assert.DoesNotContain("Fatal error", r.Stderr);
    }
}
