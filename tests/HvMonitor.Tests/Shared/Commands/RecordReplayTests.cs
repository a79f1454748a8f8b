using HvMonitor.Shared.Commands;
using Xunit;

namespace HvMonitor.Tests.Shared.Commands;

/// <summary>The one choice of --record/--replay both programs make, with its checks.</summary>
public sealed class RecordReplayTests
{
    [Fact]
    public void NeitherIsTheHostItself()
    {
        var probes = RecordReplay.Open(null, null);
        Assert.Same(RecordReplay.Live, probes);
        var host = new ProcessCommandRunner(CommandLocations.FreeBsdDefaults);
        Assert.Same(host, probes.Commands(() => host));
    }

    [Fact]
    public void BothAtOnceIsAUsageError() =>
        Assert.True(Assert.Throws<RecordReplayException>(() => RecordReplay.Open("/a", "/b")).IsUsage);

    [Fact]
    public void ANonEmptyRecordingDirectoryIsRefusedAndANewOneIsCreated()
    {
        var dir = Directory.CreateTempSubdirectory("hvm-rr-").FullName;
        try
        {
            var fresh = Path.Combine(dir, "new");
            var probes = RecordReplay.Open(fresh, null);
            Assert.True(Directory.Exists(fresh));
            Assert.Equal(fresh, probes.Recording!.Path);
            Assert.IsType<RecordingCommandRunner>(probes.Commands(() => new ProcessCommandRunner(CommandLocations.FreeBsdDefaults)));

            File.WriteAllText(Path.Combine(fresh, "old.txt"), "$ cbsd bls\n");
            var e = Assert.Throws<RecordReplayException>(() => RecordReplay.Open(fresh, null));
            Assert.True(e.IsUsage);
            Assert.Contains("not empty", e.Message);

            // Replaying that directory serves its answers, to every caller from one reading.
            var replay = RecordReplay.Open(null, fresh);
            Assert.Same(replay.Replay, replay.Commands(() => throw new InvalidOperationException("the host must not be asked")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void AMissingRecordingIsNamed()
    {
        var e = Assert.Throws<RecordReplayException>(() => RecordReplay.Open(null, "/nonexistent/recording"));
        Assert.False(e.IsUsage);
        Assert.Contains("cannot replay '/nonexistent/recording'", e.Message);
    }
}
