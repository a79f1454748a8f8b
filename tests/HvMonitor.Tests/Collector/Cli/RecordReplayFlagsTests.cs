using HvMonitor.Collector.Backends;
using HvMonitor.Collector.Cli;
using HvMonitor.Shared;
using Xunit;

namespace HvMonitor.Tests.Collector.Cli;

public class RecordReplayFlagsTests
{
    [Fact]
    public void RecordReplayAndCbsdPathReachTheBackendSettings()
    {
        var o = ArgumentParser.Parse(["-b", "cbsd", "--record", "/tmp/rec dir", "--cbsd-path=/opt/cbsd/bin/cbsd", "--timeout", "7"]);
        var s = o.ToBackendSettings(TestHooks.None);
        Assert.Equal((BackendKind.Cbsd, "/tmp/rec dir", null, "/opt/cbsd/bin/cbsd", TimeSpan.FromSeconds(3.5)),
            (o.Backend, s.RecordDirectory, s.ReplayDirectory, s.CbsdPath, s.CommandTimeout));
        Assert.Equal("/x", ArgumentParser.Parse(["--replay", "/x"]).ToBackendSettings(TestHooks.None).ReplayDirectory);
    }

    [Theory]
    [InlineData("--record", "/a", "--replay", "/b")]
    [InlineData("--record", "")]
    [InlineData("--replay=")]
    [InlineData("--cbsd-path", "")]
    [InlineData("--replay")]
    public void BadCombinationsAreUsageErrors(params string[] args) =>
        Assert.Throws<UsageException>(() => ArgumentParser.Parse(args));

    [Fact]
    public void TheHelpDocumentsTheNewFlags()
    {
        foreach (var flag in new[] { "--record DIR", "--replay DIR", "--cbsd-path PATH" })
            Assert.Contains(flag, HelpText.Usage);
    }

    [Fact]
    public void AMissingRecordingIsAnEnvelopeErrorNotACrash()
    {
        var e = Assert.Throws<BackendException>(() =>
            BackendRegistry.Create(BackendKind.Cbsd, new BackendSettings(null, "/proc") { ReplayDirectory = "/nonexistent/recording" }));
        Assert.Contains("/nonexistent/recording", e.Message);
    }

    [Fact]
    public void RecordingIntoANonEmptyDirectoryIsRefused()
    {
        var dir = Directory.CreateTempSubdirectory("hvm-rec-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "old.txt"), "$ cbsd bls\n");
            var e = Assert.Throws<BackendException>(() =>
                BackendRegistry.Create(BackendKind.Cbsd, new BackendSettings(null, "/proc") { RecordDirectory = dir }));
            Assert.Contains("not empty", e.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
