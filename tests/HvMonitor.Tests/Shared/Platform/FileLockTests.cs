using System.Diagnostics;
using HvMonitor.Shared.Platform;
using Xunit;

namespace HvMonitor.Tests.Shared.Platform;

/// <summary>The lock of serve mode's cache and of run_data.json: a real flock(2) on a temp file, against a second descriptor and against flock(1).</summary>
public sealed class FileLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hvm-lock-").FullName;
    private string LockPath => Path.Combine(_dir, "run", "virt-who-status.pid");

    [Fact]
    public void ASecondHolderWaitsItsTimeoutAndGetsNothingThenGetsTheLockOnceReleased()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        using (var first = FileLock.TryAcquire(LockPath, TimeSpan.Zero))
        {
            Assert.NotNull(first);
            var watch = Stopwatch.StartNew();
            Assert.Null(FileLock.TryAcquire(LockPath, TimeSpan.FromMilliseconds(300)));
            Assert.True(watch.ElapsedMilliseconds >= 250, $"gave up after {watch.ElapsedMilliseconds} ms instead of waiting");
        }
        using var again = FileLock.TryAcquire(LockPath, TimeSpan.Zero);
        Assert.NotNull(again);
    }

    [Fact]
    public void ALockAnotherProcessHoldsIsWaitedForUntilItIsReleased()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        var ready = Path.Combine(_dir, "ready");
        using var holder = Process.Start(new ProcessStartInfo("flock", [LockPath, "sh", "-c", $"touch '{ready}'; sleep 0.6"]))!;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!File.Exists(ready) && DateTime.UtcNow < until)
            Thread.Sleep(10);
        Assert.True(File.Exists(ready), "flock(1) did not take the lock");

        var watch = Stopwatch.StartNew();
        using var held = FileLock.TryAcquire(LockPath, TimeSpan.FromSeconds(10));

        Assert.NotNull(held);
        // flock(1) sleeps 0.6 s after the marker: the lock can only come after most of that.
        Assert.True(watch.ElapsedMilliseconds >= 300, $"the lock was granted after {watch.ElapsedMilliseconds} ms, while flock(1) still held it");
        Assert.True(holder.WaitForExit(5000));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
