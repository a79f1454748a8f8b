using HvMonitor.Reporter;
using HvMonitor.Reporter.Cli;
using Xunit;

namespace HvMonitor.Tests.Reporter;

/// <summary>The report command line (docs/virt-who-compatibility.md, "Command line", D4), run through ReporterProgram on a temporary --sysroot.</summary>
public class ReporterProgramTests
{
    private static (int Code, string Stdout, string Stderr) Run(TempSysroot root, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ReporterProgram.Run([.. args, "--sysroot", root.Root], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("-s -o")]
    [InlineData("-so")]
    [InlineData("--status --print")]
    [InlineData("-s -p")]
    public void StatusWithPrintOrOneShotIsRefused(string args)
    {
        using var root = new TempSysroot();
        var (code, stdout, stderr) = Run(root, args.Split(' '));
        Assert.Equal(64, code);
        Assert.Equal("", stdout);
        Assert.Contains("You may not use the --print or --one-shot options with the --status option.", stderr);
    }

    [Fact]
    public void StatusFromGlobalWithOneShotFlagIsRefusedToo()
    {
        using var root = new TempSysroot();
        root.Write("/etc/virt-who.conf", "[global]\nstatus=true\n");
        Assert.Equal(64, Run(root, "-o").Code);
    }

    [Fact]
    public void JsonWithoutStatusIsRefused()
    {
        using var root = new TempSysroot();
        var (code, stdout, stderr) = Run(root, "-j", "-p");
        Assert.Equal(64, code);
        Assert.Equal("", stdout);
        Assert.Contains("The --json option must only be used with the --status option.", stderr);
    }

    [Theory]
    [InlineData(new[] { "--libvirt" }, "hv-monitor report: error: unrecognized arguments: --libvirt")]
    [InlineData(new[] { "-x" }, "hv-monitor report: error: unrecognized arguments: -x")]
    [InlineData(new[] { "-i" }, "hv-monitor report: error: argument -i/--interval: expected one argument")]
    [InlineData(new[] { "extra" }, "hv-monitor report: error: unrecognized arguments: extra")]
    [InlineData(new[] { "--print=yes" }, "hv-monitor report: error: argument -p/--print: ignored explicit argument 'yes'")]
    public void UsageErrorsExit2WithArgparsesLines(string[] args, string expected)
    {
        var stderr = new StringWriter();
        Assert.Equal(2, ReporterProgram.Run(args, new StringWriter(), stderr));
        Assert.Equal($"{ReportHelpText.Usage}\n{expected}\n", stderr.ToString());
    }

    [Fact]
    public void VersionAndHelp()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, ReporterProgram.Run(["--version"], stdout, new StringWriter()));
        Assert.Matches(@"^hv-monitor \d+\.\d+\.\d+\n$", stdout.ToString());
        stdout = new StringWriter();
        Assert.Equal(0, ReporterProgram.Run(["-h"], stdout, new StringWriter()));
        Assert.StartsWith(ReportHelpText.Usage, stdout.ToString());
        Assert.Contains("encrypt-password", stdout.ToString());
    }

    [Theory]
    [InlineData(new[] { "-dpi60", "-c", "a.conf", "--config=b.conf", "-cc.conf" }, true, true, "60", new[] { "a.conf", "b.conf", "c.conf" })]
    [InlineData(new[] { "--debug", "--interval", "90" }, true, false, "90", new string[0])]
    [InlineData(new[] { "-i", "-5" }, false, false, "-5", new string[0])]
    public void FlagsParse(string[] args, bool debug, bool print, string interval, string[] configs)
    {
        var o = ReportArgumentParser.Parse(args);
        Assert.Equal((debug, print, interval), (o.Debug, o.Print, o.Interval));
        Assert.Equal(configs, o.Configs);
    }

    [Fact]
    public void NoValidConfigurationExits1()
    {
        using var root = new TempSysroot();
        root.DropIn("bad.conf", "[bad]\ntype=libvirt\nhypervisor_id=x\n");
        var (code, stdout, stderr) = Run(root, "-p");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("[ERROR] hv-monitor can't be started: no valid configuration found", stderr);
    }

    [Theory]
    [InlineData("59", 3600, true)]
    [InlineData("soon", 3600, true)]
    [InlineData("", 3600, true)]
    [InlineData(" 120 ", 120, false)]
    public void CommandLineIntervalIsValidatedLikeTheFile(string given, int expected, bool warns)
    {
        // virt-who puts -i into [global] before validating it: one message, with the "[global]: " prefix,
        // and the file's own (valid) interval=600 is replaced.
        using var root = new TempSysroot();
        root.Write("/etc/virt-who.conf", "[global]\ninterval=600\n");
        var log = new HvMonitor.Reporter.Logging.MemoryLog();
        var general = new HvMonitor.Reporter.Config.ConfigurationLoader(root.Paths, log).ReadGeneral([new("interval", given)]);
        Assert.Equal(expected, general.Global.Interval);
        var warnings = log.Lines.Where(l => l.Message.Contains("Interval value", StringComparison.Ordinal)).ToList();
        if (warns)
            Assert.Equal((HvMonitor.Reporter.Logging.LogLevel.Warning, "[global]: Interval value can't be lower than 60 seconds. Default value of 3600 seconds will be used."), Assert.Single(warnings));
        else
            Assert.Empty(warnings);
    }

    [Fact]
    public void FlagsCannotSwitchOffGlobalDebugAndConfigsReplace()
    {
        var global = new HvMonitor.Reporter.Config.GlobalSettings { ReporterId = "r", LogDir = "/l", Debug = true, Configs = ["x"] };
        var merged = ReporterProgram.MergeCommandLine(global, new ReportOptions { Print = true, Configs = ["y"] }, new HvMonitor.Reporter.Logging.MemoryLog());
        Assert.True(merged.Debug);
        Assert.True(merged.OneShot);
        Assert.Equal(["y"], merged.Configs);
    }

    [Fact]
    public void ANonEmptyRecordDirectoryIsAUsageErrorThatKeepsItsFiles()
    {
        using var root = new TempSysroot();
        var old = root.Write("/recording/old-answer.txt", "$ cbsd bls\nkept\n");
        var (code, stdout, stderr) = Run(root, "-p", "--record", Path.GetDirectoryName(old)!);
        Assert.Equal(HvMonitor.Shared.ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("usage: hv-monitor report ", stderr);
        Assert.Contains($"hv-monitor report: error: --record {Path.GetDirectoryName(old)}: the directory is not empty; give a new or empty one", stderr);
        Assert.DoesNotContain("Exception", stderr);
        Assert.Equal("$ cbsd bls\nkept\n", File.ReadAllText(old));
    }

    [Fact]
    public void ARecordDirectoryThatCannotBeMadeIsAFailureNamedOnce()
    {
        using var root = new TempSysroot();
        var file = root.Write("/recording", "a file, not a directory");
        var (code, _, stderr) = Run(root, "-p", "--record", file);
        Assert.Equal(HvMonitor.Shared.ExitCodes.Failure, code);
        Assert.StartsWith($"hv-monitor report: error: cannot record into '{file}': ", stderr);
        Assert.DoesNotContain("usage:", stderr);
        Assert.DoesNotContain("Exception", stderr);
    }
}
