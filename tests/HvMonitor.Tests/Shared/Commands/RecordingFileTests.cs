using System.Text;
using HvMonitor.Shared.Commands;
using Xunit;

namespace HvMonitor.Tests.Shared.Commands;

public class RecordingFileTests
{
    [Theory]
    [InlineData(new[] { "cbsd", "bls", "header=0", "node=" }, "cbsd bls header=0 node=")]
    [InlineData(new[] { "cat", "/run/libvirt/qemu/web 1.pid" }, "cat '/run/libvirt/qemu/web 1.pid'")]
    [InlineData(new[] { "virsh", "-r", "dumpxml", "it's; $(rm -rf /)" }, "virsh -r dumpxml 'it'\\''s; $(rm -rf /)'")]
    [InlineData(new[] { "x", "", "a\nb" }, "x '' 'a'$'\\n''b'")]
    [InlineData(new[] { "ls", "žluťoučký" }, "ls 'žluťoučký'")]
    public void ArgvIsQuotedAsAPosixShellNeedsIt(string[] argv, string expected)
    {
        Assert.Equal(expected, PosixQuote.Join(argv));
        Assert.DoesNotContain('\n', PosixQuote.Join(argv));
    }

    public static TheoryData<CommandResult> Results() => new()
    {
        CommandResult.Exited(0, "line 1\nline 2\n"u8.ToArray(), "ignored"u8.ToArray()),
        CommandResult.Exited(0, [], []),
        CommandResult.Exited(3, "partial"u8.ToArray(), "oops\nsecond \\ line"u8.ToArray()),
        CommandResult.Exited(0, "# stdout that looks like a comment\n"u8.ToArray(), []),
        CommandResult.Exited(0, [0xff, 0x00, 0x0a, 0x1b], []),
        new CommandResult(CommandOutcome.TimedOut, -1, "half"u8.ToArray(), []),
        new CommandResult(CommandOutcome.NotStarted, -1, [], "/usr/local/bin/cbsd: No such file"u8.ToArray()),
    };

    [Theory]
    [MemberData(nameof(Results))]
    public void AFormattedRecordingParsesBackToTheSameAnswer(CommandResult result)
    {
        var bytes = RecordingFile.Format("cbsd bls 'a b'", result);
        var parsed = RecordingFile.Parse(bytes, "f.txt");
        Assert.Equal("cbsd bls 'a b'", parsed.CommandLine);
        Assert.Equal(result.Outcome, parsed.Result.Outcome);
        Assert.Equal(result.Succeeded, parsed.Result.Succeeded);
        Assert.Equal(result.Stdout, parsed.Result.Stdout);
        if (!result.Succeeded)
            Assert.Equal(result.Stderr, parsed.Result.Stderr);
        if (result.Outcome == CommandOutcome.Exited)
            Assert.Equal(result.ExitCode, parsed.Result.ExitCode);
    }

    [Fact]
    public void TheIssueFormatIsReadAsIs()
    {
        var parsed = RecordingFile.Parse(Encoding.UTF8.GetBytes("$ ps -p 1\n# exit 1\n  PID\n"), "ps.txt");
        Assert.Equal(("ps -p 1", 1, "  PID\n"), (parsed.CommandLine, parsed.Result.ExitCode, Encoding.UTF8.GetString(parsed.Result.Stdout)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no dollar\n")]
    [InlineData("$ x\n# exit many\n")]
    public void AMalformedFileIsAClearError(string text)
    {
        var e = Assert.Throws<RecordingException>(() => RecordingFile.Parse(Encoding.UTF8.GetBytes(text), "bad.txt"));
        Assert.Contains("bad.txt", e.Message);
    }

    [Fact]
    public void RecordThenReplayAnswersInRecordedOrderAndFailsOnAMissingProbe()
    {
        var dir = Directory.CreateTempSubdirectory("hvm-rec-").FullName;
        try
        {
            var answers = new Queue<CommandResult>([
                CommandResult.Exited(0, "first\n"u8.ToArray(), []),
                CommandResult.Exited(0, "second\n"u8.ToArray(), []),
                CommandResult.Exited(2, [], "boom"u8.ToArray())]);
            var recorder = new RecordingCommandRunner(new FuncRunner(_ => answers.Dequeue()), dir);
            var uptime = new CommandRequest(["cat", "/proc/uptime"], TimeSpan.FromSeconds(1));
            var hostile = new CommandRequest(["cat", "/x/it's; $(reboot)"], TimeSpan.FromSeconds(1));
            recorder.Run(uptime, default);
            recorder.Run(uptime, default);
            recorder.Run(hostile, default);

            var replay = new ReplayCommandRunner(dir);
            Assert.Equal("first\n"u8.ToArray(), replay.Run(uptime, default).Stdout);
            Assert.Equal("second\n"u8.ToArray(), replay.Run(uptime, default).Stdout);
            Assert.Equal("second\n"u8.ToArray(), replay.Run(uptime, default).Stdout);
            var failed = replay.Run(hostile, default);
            Assert.Equal((2, "boom"), (failed.ExitCode, Encoding.UTF8.GetString(failed.Stderr)));
            var e = Assert.Throws<ReplayMissingException>(() => replay.Run(new CommandRequest(["cat", "/proc/meminfo"], TimeSpan.FromSeconds(1)), default));
            Assert.Contains("$ cat /proc/meminfo", e.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private sealed class FuncRunner(Func<CommandRequest, CommandResult> answer) : ICommandRunner
    {
        public CommandResult Run(CommandRequest request, CancellationToken cancellation) => answer(request);
    }
}
