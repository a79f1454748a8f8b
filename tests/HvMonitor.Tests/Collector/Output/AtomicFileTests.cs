using HvMonitor.Collector.Output;
using Xunit;

namespace HvMonitor.Tests.Collector.Output;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hvm-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WritesContentWorldReadableAndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_dir, "hv_monitor.json");
        AtomicFile.Write(path, "{\"a\":1}"u8);
        Assert.Equal("{\"a\":1}", File.ReadAllText(path));
        Assert.Equal(AtomicFile.WorldReadable, File.GetUnixFileMode(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void ReplacesAnExistingFileWhole()
    {
        var path = Path.Combine(_dir, "a b é.json");
        File.WriteAllText(path, new string('x', 10000));
        AtomicFile.Write(path, "new"u8);
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void AFailedReplaceLeavesWhatWasThereAndNoTemporaryFile()
    {
        // The final rename fails when the target is a directory (this fails for root too, unlike mode bits).
        var target = Path.Combine(_dir, "hv_monitor.json");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep"), "previous");
        Assert.ThrowsAny<IOException>(() => AtomicFile.Write(target, "new"u8));
        Assert.Equal("previous", File.ReadAllText(Path.Combine(target, "keep")));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    /// <summary>
    /// What the target is when it is not a regular file: each is refused, left exactly as it was, and no temporary
    /// file stays. As root, <c>-w -o /dev/null</c> used to turn /dev/null into a regular file.
    /// </summary>
    [Theory]
    [InlineData("symlink", "a symbolic link")]
    [InlineData("dangling-symlink", "a symbolic link")]
    [InlineData("fifo", "a FIFO")]
    [InlineData("chardev", "a character device")]
    [InlineData("directory", "a directory")]
    public void ATargetThatIsNotARegularFileIsRefusedAndLeftAsItWas(string kind, string described)
    {
        var target = Path.Combine(_dir, "hv_monitor.json");
        var victim = Path.Combine(_dir, "victim");
        File.WriteAllText(victim, "precious");
        switch (kind)
        {
            case "symlink": File.CreateSymbolicLink(target, victim); break;
            case "dangling-symlink": File.CreateSymbolicLink(target, Path.Combine(_dir, "nowhere")); break;
            case "fifo": Run("mkfifo", target); break;
            case "chardev": Run("mknod", target, "c", "1", "3"); break; // /dev/null's numbers
            case "directory": Directory.CreateDirectory(target); break;
        }
        var before = Run("stat", "-c", "%F %t:%T", target);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.ThrowsAny<IOException>(() => AtomicFile.Write(target, "new"u8));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "a FIFO must be refused at once, not opened");
        Assert.Contains(described, e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.Equal(before, Run("stat", "-c", "%F %t:%T", target));
        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.False(File.Exists(Path.Combine(_dir, "nowhere")));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(_dir), p => Path.GetFileName(p).StartsWith('.'));
    }

    /// <summary>
    /// A run killed (kill -9) between creating its temporary file and renaming it leaves the file behind; the next
    /// write removes it, but only a regular file of our own pattern, old and unlocked: nothing else is touched.
    /// </summary>
    [Fact]
    public void StaleTemporaryFilesOfAKilledRunAreRemovedAndNothingElse()
    {
        var target = Path.Combine(_dir, "hv_monitor.json");
        var old = DateTime.UtcNow - TimeSpan.FromMinutes(5);
        string Temp(string name, bool stale = true)
        {
            var path = Path.Combine(_dir, name);
            File.WriteAllText(path, "partial");
            if (stale)
                File.SetLastWriteTimeUtc(path, old);
            return path;
        }
        var killed = Temp(".hv_monitor.json.4242.0badf00d.tmp");
        var fresh = Temp(".hv_monitor.json.4243.0badf00e.tmp", stale: false);
        var otherTarget = Temp(".other.json.4244.0badf00d.tmp");
        var notOurs = Temp(".hv_monitor.json.backup.tmp");
        var locked = Temp(".hv_monitor.json.4245.0badf00f.tmp");
        var victim = Temp("victim", stale: false);
        var link = Path.Combine(_dir, ".hv_monitor.json.4246.0badf010.tmp");
        File.CreateSymbolicLink(link, victim);
        Run("touch", "-h", "-d", "5 minutes ago", link);
        // A live writer holds a lock on its temporary file (flock(1), as FileStream's FileShare.None does).
        using var holder = System.Diagnostics.Process.Start("flock", ["-x", locked, "sleep", "30"]);
        Thread.Sleep(300);
        try
        {
            AtomicFile.Write(target, "new"u8);
        }
        finally
        {
            holder.Kill();
        }
        Assert.False(File.Exists(killed));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(otherTarget));
        Assert.True(File.Exists(notOurs));
        Assert.True(File.Exists(locked));
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("partial", File.ReadAllText(victim));
        Assert.Equal("new", File.ReadAllText(target));
    }

    [Fact]
    public void AnUnwritableDirectoryNamesTheTargetNotTheTemporaryFile()
    {
        // Root ignores mode bits: a read-only bind is not available either, so use a directory that is a file.
        var file = Path.Combine(_dir, "not-a-dir");
        File.WriteAllText(file, "x");
        var e = Assert.ThrowsAny<IOException>(() => AtomicFile.Write(Path.Combine(file, "hv_monitor.json"), "new"u8));
        Assert.Contains("not-a-dir", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.DoesNotContain(" : '", e.Message);
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {output}");
        return output;
    }

    [Fact]
    public void AMissingDirectoryIsAClearError()
    {
        var e = Assert.ThrowsAny<IOException>(() => AtomicFile.Write(Path.Combine(_dir, "no-such-dir", "x.json"), "new"u8));
        Assert.Contains("no-such-dir", e.Message);
    }

    [Fact]
    public async Task ConcurrentReadersNeverSeeAPartialFile()
    {
        var path = Path.Combine(_dir, "hv_monitor.json");
        var big = Enumerable.Range(0, 2).Select(i => Enumerable.Repeat((byte)('a' + i), 1 << 20).ToArray()).ToArray();
        AtomicFile.Write(path, big[0]);
        using var stop = new CancellationTokenSource();
        int reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var content = File.ReadAllBytes(path);
                Assert.Equal(1 << 20, content.Length);
                Assert.True(content.All(b => b == content[0]), "a read mixed two versions");
                Interlocked.Increment(ref reads);
            }
            return Volatile.Read(ref reads);
        });
        // Keep replacing the file until the reader has raced with the writer many times (bounded).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (int i = 0; Volatile.Read(ref reads) < 50 && DateTime.UtcNow < deadline; i++)
            AtomicFile.Write(path, big[i % 2]);
        stop.Cancel();
        Assert.True(await reader >= 50);
    }
}
