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
