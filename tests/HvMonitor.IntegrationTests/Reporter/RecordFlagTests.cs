using Xunit;

namespace HvMonitor.IntegrationTests.Reporter;

/// <summary>
/// --record through the real binary: a directory that is not empty is refused before anything runs, as a
/// command-line error (exit 2, argparse's two lines), not as a crash, and its files are left as they were.
/// </summary>
public sealed class RecordFlagTests
{
    [Fact]
    public void ANonEmptyRecordDirectoryIsRefusedWithTheUsageExitCode()
    {
        using var run = ReportRun.With("[bsd]\ntype=cbsd\nowner=Org\n");
        var dir = Path.Combine(run.Root, "old-recording");
        Directory.CreateDirectory(dir);
        var old = Path.Combine(dir, "cbsd-bls.txt");
        File.WriteAllText(old, "$ cbsd bls\nan earlier run\n");

        var r = run.Run("-p", "--record", dir);

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("usage: hv-monitor report ", lines[0]);
        Assert.Equal($"hv-monitor report: error: --record {dir}: the directory is not empty; give a new or empty one", lines[1]);
        Assert.Equal(["cbsd-bls.txt"], Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.Equal("$ cbsd bls\nan earlier run\n", File.ReadAllText(old));
    }
}
