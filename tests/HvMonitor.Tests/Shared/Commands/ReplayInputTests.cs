using System.Diagnostics;
using System.Text;
using HvMonitor.Shared.Commands;
using Xunit;

namespace HvMonitor.Tests.Shared.Commands;

/// <summary>
/// A recording directory is user input: whatever is in it, replay fails at once with a message that names the
/// file and the problem, quotes at most ~200 characters of a bad line, and never opens a special file.
/// </summary>
public sealed class ReplayInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hvm-replay-in-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private RecordingException Refused()
    {
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<RecordingException>(() => new ReplayCommandRunner(_dir));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "replay must refuse at once, not wait");
        Assert.True(e.Message.Length < 600, $"message of {e.Message.Length} characters");
        return e;
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("no header, just output\n", "is not '$ ' and the probe's command")]
    [InlineData("$ \n", "is not '$ ' and the probe's command")]
    [InlineData("$ cat /proc/uptime\n# exit many\n1.0 2.0\n", "is not '# exit N'")]
    public void AMalformedFileIsNamedWithItsProblem(string content, string problem)
    {
        File.WriteAllText(Path.Combine(_dir, "probe.txt"), content);
        var e = Refused();
        Assert.Contains(Path.Combine(_dir, "probe.txt"), e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void AHugeNumberInTheExitLineIsAnErrorNotAnOverflow()
    {
        File.WriteAllText(Path.Combine(_dir, "probe.txt"), "$ ls /proc\n# exit " + new string('9', 5000) + "\n");
        var e = Refused();
        Assert.Contains("is not '# exit N'", e.Message);
    }

    [Fact]
    public void ABadLineIsQuotedShort()
    {
        var line = new string('x', 4 << 20);
        File.WriteAllText(Path.Combine(_dir, "probe.txt"), line + "\n");
        var e = Refused();
        Assert.Contains("'" + new string('x', RecordingFile.QuotedLineLimit) + "...'", e.Message);
        Assert.Contains($"({line.Length} characters)", e.Message);
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("socket")]
    [InlineData("chardev")]
    [InlineData("link-to-fifo")]
    public void ASpecialFileIsRefusedWithoutOpeningIt(string kind)
    {
        File.WriteAllText(Path.Combine(_dir, "a-good.txt"), "$ getconf CLK_TCK\n100\n");
        var path = Path.Combine(_dir, "b-special.txt");
        switch (kind)
        {
            case "fifo": Run("mkfifo", path); break;
            case "socket": Run("python3", "-c", $"import socket; socket.socket(socket.AF_UNIX).bind('{path}')"); break;
            case "chardev": Run("mknod", path, "c", "1", "3"); break;
            case "link-to-fifo":
                Run("mkfifo", Path.Combine(_dir, ".hidden-fifo"));
                File.CreateSymbolicLink(path, Path.Combine(_dir, ".hidden-fifo"));
                break;
        }
        var e = Refused();
        Assert.Contains(path, e.Message);
        Assert.Contains("not a regular file", e.Message);
    }

    [Fact]
    public void AFileOverTheSizeCapIsRefusedUnread()
    {
        var path = Path.Combine(_dir, "huge.txt");
        using (var f = File.Create(path))
        {
            f.Write("$ cat /proc/uptime\n"u8);
            f.SetLength(ReplayCommandRunner.MaxFileBytes + 1); // sparse: no disk used
        }
        var e = Refused();
        Assert.Contains("huge.txt", e.Message);
        Assert.Contains("at most 64 MiB", e.Message);
    }

    [Fact]
    public void NotesDirectoriesAndGoodFilesAreStillReplayed()
    {
        File.WriteAllText(Path.Combine(_dir, "clk.txt"), "$ getconf CLK_TCK\n100\n");
        File.WriteAllText(Path.Combine(_dir, "golden.json"), "{}");
        Directory.CreateDirectory(Path.Combine(_dir, "notes"));
        var runner = new ReplayCommandRunner(_dir);
        var r = runner.Run(new CommandRequest(["getconf", "CLK_TCK"], TimeSpan.FromSeconds(1)), default);
        Assert.Equal("100\n", Encoding.UTF8.GetString(r.Stdout));
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file}: {err}");
    }
}
