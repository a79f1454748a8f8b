using System.Diagnostics;
using System.Text;
using HvMonitor.Collector.Backends;
using HvMonitor.Collector.Backends.Cbsd;
using HvMonitor.Collector.Facts;
using HvMonitor.Collector.Model;
using HvMonitor.Shared.Commands;
using Xunit;

namespace HvMonitor.Tests.Shared.Commands;

/// <summary>
/// The real process runner against real processes: shell scripts in a temporary directory stand in for
/// cbsd, ps, netstat, zfs, sysctl and ifconfig.
/// </summary>
public sealed class ProcessCommandRunnerTests : IDisposable
{
    private static readonly string[] Programs = ["cbsd", "ps", "netstat", "ifconfig", "zfs", "sysctl"];
    private readonly string _bin = Directory.CreateTempSubdirectory("hvm-bin-").FullName;

    public void Dispose() => Directory.Delete(_bin, true);

    // Every program is a stand-in script in _bin, which also leads PATH.
    private ProcessCommandRunner Runner() =>
        new(new CommandLocations(Programs.ToDictionary(p => p, p => Path.Combine(_bin, p)), _bin + ":" + CommandLocations.DefaultSearchPath));

    private void Script(string name, string body)
    {
        var path = Path.Combine(_bin, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static CommandRequest Request(params string[] argv) => new(argv, TimeSpan.FromSeconds(10));

    [Fact]
    public void ArgvReachesTheCommandUnchangedEvenWhenHostile()
    {
        // Each argument on its own NUL-terminated record: any shell interpretation would change them.
        Script("cbsd", "for a in \"$@\"; do printf '%s\\0' \"$a\"; done; printf 'NOCOLOR=%s LC_ALL=%s' \"$NOCOLOR\" \"$LC_ALL\" >&2");
        string[] args = ["bls", "jname=a b", "x;reboot", "$(touch /tmp/pwned)", "`id`", "it's \"quoted\"", "back\\slash", "žluť", "", "*"];
        var result = Runner().Run(new CommandRequest(["cbsd", .. args], TimeSpan.FromSeconds(10)) { Environment = CbsdCommands.CbsdEnvironment }, default);
        Assert.True(result.Succeeded);
        Assert.Equal(args, Encoding.UTF8.GetString(result.Stdout).Split('\0')[..^1]);
        Assert.Equal("NOCOLOR=1 LC_ALL=C", Encoding.UTF8.GetString(result.Stderr));
        Assert.False(File.Exists("/tmp/pwned"));
    }

    [Fact]
    public void AChildGetsOnlyItsExplicitEnvironmentNothingOfTheCallers()
    {
        // The stand-in for ps is env(1) itself, so what it prints is exactly the environment it was given.
        File.CreateSymbolicLink(Path.Combine(_bin, "ps"), "/usr/bin/env");
        using var caller = new CallerEnvironment(("COLUMNS", "132"), ("LANG", "de_DE.UTF-8"), ("workdir", "/elsewhere"), ("NOCOLOR", "0"));
        var plain = Runner().Run(Request("ps"), default);
        Assert.Equal(["LC_ALL=C", $"PATH={_bin}:{CommandLocations.DefaultSearchPath}"], Lines(plain.Stdout).Order(StringComparer.Ordinal));
        var cbsd = Runner().Run(new CommandRequest(["ps"], TimeSpan.FromSeconds(10)) { Environment = CbsdCommands.CbsdEnvironment }, default);
        Assert.Equal(["LC_ALL=C", "NOCOLOR=1", $"PATH={_bin}:{CommandLocations.DefaultSearchPath}"], Lines(cbsd.Stdout).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ColumnsInTheCallersEnvironmentCannotCutPsAndCostAVmItsFigures()
    {
        // A ps that cuts every line to COLUMNS when it is set, as FreeBSD's ps cuts its last column, whatever
        // its options: only the environment the runner gives it decides. The parent exports COLUMNS=80.
        const string header = "  PID ELAPSED %MEM COW MAJFLT MINFLT NI NIVCSW NSWAP NVCSW INBLK OUBLK PRI RSS SYSTIME USERTIME VSZ COMMAND";
        const string row = "61044 10 0.1 0 0 0 1 0 0 0 0 0 52 1024 0:00.01 0:00.02 2048 bhyve: billing-postgres-primary (bhyve)";
        Script("ps", $"out='{header}\n{row}\n'; if [ -n \"$COLUMNS\" ]; then printf '%s' \"$out\" | cut -c1-$COLUMNS; else printf '%s' \"$out\"; fi");
        Script("cbsd", "case \"$1\" in bls) echo 'billing-postgres-primary  61044  1024  0  1  0  freebsd  DHCP  On  127.0.0.1:5900';; esac");
        using var caller = new CallerEnvironment(("COLUMNS", "80"));
        // The stand-in does cut when COLUMNS reaches it (here given on purpose, as a request's own variable).
        var cut = Runner().Run(new CommandRequest(CbsdCommands.Ps([61044]), TimeSpan.FromSeconds(10)) { Environment = new Dictionary<string, string> { ["COLUMNS"] = "80" } }, default);
        Assert.Equal("61044 10 0.1 0 0 0 1 0 0 0 0 0 52 1024 0:00.01 0:00.02 2048 bhyve: billing-postg", Lines(cut.Stdout)[1]);
        var sink = new CollectionSink();
        new CbsdBackend(Runner(), TimeSpan.FromSeconds(10)).Collect(sink, default);
        var vm = Assert.Single(sink.Vms);
        Assert.Equal((10UL, 1024UL * 1024), (vm.Process?.Etimes, vm.Process?.Rss));
        Assert.DoesNotContain(sink.Warnings, w => w.Contains("not its bhyve"));
    }

    private static string[] Lines(byte[] bytes) => Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Variables set in this (the caller's) process for one test, then restored.</summary>
    private sealed class CallerEnvironment : IDisposable
    {
        private readonly List<(string Name, string? Old)> _saved = [];

        public CallerEnvironment(params (string Name, string Value)[] variables)
        {
            foreach (var (name, value) in variables)
            {
                _saved.Add((name, Environment.GetEnvironmentVariable(name)));
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, old) in _saved)
                Environment.SetEnvironmentVariable(name, old);
        }
    }

    [Fact]
    public void StdoutAndStderrAreSeparateAndTheExitStatusIsTheCommandsOwn()
    {
        Script("zfs", "echo out; echo err >&2; exit 3");
        var request = Request("zfs", "list");
        var result = Runner().Run(request, default);
        Assert.Equal((CommandOutcome.Exited, 3, "out\n", "err\n"),
            (result.Outcome, result.ExitCode, Encoding.UTF8.GetString(result.Stdout), Encoding.UTF8.GetString(result.Stderr)));
        Assert.Equal("'zfs list' exited with status 3: err", result.DescribeFailure(request));
    }

    [Fact]
    public void AHangingCommandAndWhatItStartedAreKilledAtTheTimeout()
    {
        var pidFile = Path.Combine(_bin, "child.pid");
        Script("sysctl", $"sleep 300 & echo $! > '{pidFile}'; echo started; wait");
        var clock = Stopwatch.StartNew();
        var request = new CommandRequest(["sysctl", "kstat.zfs.zroot.dataset"], TimeSpan.FromMilliseconds(500));
        var result = Runner().Run(request, default);
        Assert.Equal(CommandOutcome.TimedOut, result.Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), clock.Elapsed.ToString());
        Assert.Contains("did not finish within 0.5 s", result.DescribeFailure(request));
        var child = int.Parse(File.ReadAllText(pidFile).Trim());
        Thread.Sleep(200);
        Assert.False(Directory.Exists($"/proc/{child}") && !File.ReadAllText($"/proc/{child}/stat").Contains(") Z "), "the child survived");
    }

    [Fact]
    public void AMissingCommandIsReportedNotThrown()
    {
        var request = Request("ifconfig");
        var result = Runner().Run(request, default);
        Assert.Equal(CommandOutcome.NotStarted, result.Outcome);
        Assert.Contains(Path.Combine(_bin, "ifconfig"), result.DescribeFailure(request));
    }

    [Fact]
    public void BigOutputsAreReadWhole()
    {
        // 8 MiB on stdout and 1 MiB on stderr at once: a runner reading one pipe after the other would deadlock.
        Script("netstat", "head -c 8388608 /dev/zero | tr '\\0' 'x'; head -c 1048576 /dev/zero | tr '\\0' 'e' >&2");
        var result = Runner().Run(Request("netstat", "-ibdWn"), default);
        Assert.Equal((8388608, 1048576), (result.Stdout.Length, result.Stderr.Length));
    }

    [Fact]
    public void TheCbsdBackendRunsOnStandInsAndStartsTheSameProcessesWhateverTheNumberOfVms()
    {
        foreach (int vms in new[] { 2, 40 })
        {
            var log = Path.Combine(_bin, $"calls-{vms}.log");
            var bls = string.Concat(Enumerable.Range(0, vms).Select(i => $"vm{i}  {100 + i}  1024  0  1  0  linux  DHCP  On  127.0.0.1:{5900 + i}\\n"));
            var ps = "  PID ELAPSED %MEM COW MAJFLT MINFLT NI NIVCSW NSWAP NVCSW INBLK OUBLK PRI RSS SYSTIME USERTIME VSZ COMMAND\\n" +
                     string.Concat(Enumerable.Range(0, vms).Select(i => $"{100 + i} 10 0.1 0 0 0 1 0 0 0 0 0 52 1024 0:00.01 0:00.02 2048 bhyve: vm{i} (bhyve)\\n"));
            var dsk = string.Concat(Enumerable.Range(0, vms).Select(i => $"vm{i}  dsk1.vhd  20g\\n"));
            var nic = string.Concat(Enumerable.Range(0, vms).Select(i => $"vm{i}  bridge0  00:a0:98:00:00:{i:x2}\\n"));
            Script("cbsd", $"echo \"cbsd $1\" >> '{log}'; case \"$1\" in bls) printf '%b' '{bls}';; bhyve-dsk-list) printf '%b' '{dsk}';; bhyve-nic-list) printf '%b' '{nic}';; *) ;; esac");
            Script("ps", $"echo ps >> '{log}'; printf '%b' '{ps}'");
            foreach (var p in new[] { "netstat", "ifconfig", "zfs", "sysctl" })
                Script(p, $"echo {p} >> '{log}'");
            var sink = new CollectionSink();
            new CbsdBackend(Runner(), TimeSpan.FromSeconds(10)).Collect(sink, default);
            Assert.Equal(vms, sink.Vms.Count);
            Assert.All(sink.Vms, vm => Assert.Equal(VmState.Running, vm.State));
            Assert.All(sink.Vms, vm => Assert.Equal(1024UL * 1024, vm.Process!.Rss));
            Assert.Equal(["cbsd bls", "cbsd bhyve-dsk-list", "cbsd bhyve-nic-list", "cbsd jsnapshot", "ps", "ifconfig", "zfs"], File.ReadAllLines(log));
        }
    }

    [Fact]
    public void AFailingCbsdBlsIsAClearEnvelopeError()
    {
        Script("cbsd", "echo 'cbsd: database is locked' >&2; exit 1");
        var e = Assert.Throws<BackendException>(() => new CbsdBackend(Runner(), TimeSpan.FromSeconds(10)).Collect(new CollectionSink(), default));
        Assert.Equal(ErrorCodes.BackendFailed, e.ErrorCode);
        Assert.Contains("exited with status 1: cbsd: database is locked", e.Message);
        File.Delete(Path.Combine(_bin, "cbsd"));
        e = Assert.Throws<BackendException>(() => new CbsdBackend(Runner(), TimeSpan.FromSeconds(10)).Collect(new CollectionSink(), default));
        Assert.Equal(ErrorCodes.BackendUnavailable, e.ErrorCode);
        Assert.Contains("--cbsd-path", e.Message);
    }
}
