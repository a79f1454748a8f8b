using System.Diagnostics;
using System.Globalization;
using HvMonitor.Reporter.Daemon;
using HvMonitor.Reporter.Logging;
using Xunit;

namespace HvMonitor.Tests.Reporter.Daemon;

/// <summary>
/// The daemon's PID file: claimed under an flock on its lock file, so that deciding "no daemon runs" and writing our
/// PID are one step. Each TryCreate opens its own descriptor, and flock locks per open file description, so claims
/// made from threads of this process race exactly as claims from two daemons do.
/// </summary>
public sealed class PidFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hvm-pidfile-").FullName;
    private string PidPath => Path.Combine(_dir, "run", "virt-who.pid");
    private static readonly string Self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static PidFile? Claim(string path, MemoryLog log, StringWriter stderr) => PidFile.TryCreate(path, log, stderr);

    /// <summary>A PID that no process has: one of a child that has exited (and been reaped).</summary>
    private static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        int pid = p.Id;
        Assert.False(Directory.Exists($"/proc/{pid}"));
        return pid;
    }

    [Fact]
    public void TheDaemonWritesItsPidWithoutNewlineMode0600AndRemovesItAtExit()
    {
        var stderr = new StringWriter();
        using (var pid = Claim(PidPath, new MemoryLog(), stderr))
        {
            Assert.NotNull(pid);
            Assert.Equal(Self, File.ReadAllText(PidPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PidPath));
        }
        Assert.False(File.Exists(PidPath));
        Assert.Equal("", stderr.ToString());
    }

    [Fact]
    public void AStaleFileIsTakenOverWithVirtWhosMessageAndTheRightMode()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PidPath)!);
        File.WriteAllText(PidPath, DeadPid().ToString(CultureInfo.InvariantCulture) + "\n");
        File.SetUnixFileMode(PidPath, (UnixFileMode)0b110_100_100);
        var log = new MemoryLog();
        using var pid = Claim(PidPath, log, new StringWriter());
        Assert.NotNull(pid);
        Assert.Equal(Self, File.ReadAllText(PidPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PidPath));
        Assert.Equal([(LogLevel.Info, "PID file exists but associated process does not, deleting PID file")], log.Lines);
    }

    [Fact]
    public void AFileNamingALiveProcessIsRefusedAndLeftAsItIs()
    {
        // A daemon that takes no lock (virt-who): its PID is all there is to go by.
        Directory.CreateDirectory(Path.GetDirectoryName(PidPath)!);
        using var other = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            var theirs = other.Id.ToString(CultureInfo.InvariantCulture);
            File.WriteAllText(PidPath, theirs);
            var stderr = new StringWriter();
            Assert.Null(Claim(PidPath, new MemoryLog(), stderr));
            Assert.Equal($"hv-monitor report seems to be already running. If not, remove {PidPath}\n", stderr.ToString());
            Assert.Equal(theirs, File.ReadAllText(PidPath));
        }
        finally
        {
            other.Kill();
        }
    }

    [Fact]
    public void WhileOneDaemonHoldsTheFileEveryOtherClaimIsRefused()
    {
        using var first = Claim(PidPath, new MemoryLog(), new StringWriter());
        Assert.NotNull(first);
        // The PID in the file is this process's own, which the PID check alone would let through: the lock refuses it.
        var stderr = new StringWriter();
        Assert.Null(Claim(PidPath, new MemoryLog(), stderr));
        Assert.StartsWith("hv-monitor report seems to be already running.", stderr.ToString());
        Assert.Equal(Self, File.ReadAllText(PidPath));
    }

    [Fact]
    public void OfManyDaemonsStartedTogetherOverAStaleFileExactlyOneRuns()
    {
        for (int trial = 0; trial < 20; trial++)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(PidPath)!);
            File.WriteAllText(PidPath, DeadPid().ToString(CultureInfo.InvariantCulture));
            using var start = new Barrier(8);
            var claims = Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return Claim(PidPath, new MemoryLog(), new StringWriter());
            }, TaskCreationOptions.LongRunning)).ToArray();
            var won = claims.Select(t => t.Result).Where(p => p is not null).ToList();
            Assert.Single(won);
            Assert.Equal(Self, File.ReadAllText(PidPath));
            won[0]!.Dispose();
            Assert.False(File.Exists(PidPath));
        }
    }

    [Fact]
    public void AtExitAFileSomeoneElsePutThereIsNotRemoved()
    {
        var pid = Claim(PidPath, new MemoryLog(), new StringWriter());
        Assert.NotNull(pid);
        File.Delete(PidPath);
        File.WriteAllText(PidPath, "4242");
        pid.Dispose();
        Assert.Equal("4242", File.ReadAllText(PidPath));
    }

    [Fact]
    public void ASymbolicLinkIsReplacedNotFollowed()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PidPath)!);
        var target = Path.Combine(_dir, "elsewhere");
        File.WriteAllText(target, "precious");
        File.CreateSymbolicLink(PidPath, target);
        using var pid = Claim(PidPath, new MemoryLog(), new StringWriter());
        Assert.NotNull(pid);
        Assert.Equal("precious", File.ReadAllText(target));
        Assert.Null(new FileInfo(PidPath).LinkTarget);
        Assert.Equal(Self, File.ReadAllText(PidPath));
    }

    [Fact]
    public void TheLockFileIsOnlyLockableByItsOwner()
    {
        using var pid = Claim(PidPath, new MemoryLog(), new StringWriter());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PidFile.LockPathOf(PidPath)));
    }
}
