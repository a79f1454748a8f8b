using HvMonitor.Collector.App;
using HvMonitor.Collector.Backends;
using Xunit;

namespace HvMonitor.Tests.Collector.App;

/// <summary>A recording replayed with the other backend says which -b it needs, not only which probe it lacks.</summary>
public sealed class WrongBackendReplayTests
{
    private static CollectionResult Replay(BackendKind kind, string recording) =>
        CollectionRun.Run(kind, new BackendSettings(null, "/proc") { ReplayDirectory = recording }, TimeSpan.FromSeconds(30));

    [Theory]
    [InlineData("freebsd13-colour")]
    [InlineData("freebsd14-nocolor")]
    public void ACbsdRecordingReplayedAsLibvirtHintsAtDashBCbsd(string host)
    {
        var r = Replay(BackendKind.Libvirt, RepoPaths.Sample("cbsd", host));
        Assert.NotEqual(0, r.Envelope.Error);
        Assert.Contains("has no answer for '$ virsh -r domstats", r.Envelope.ErrorString);
        Assert.EndsWith("it is a recording of a CBSD host (it answers 'cbsd' commands): replay it with -b CBSD", r.Envelope.ErrorString);
    }

    [Fact]
    public void ALibvirtRecordingReplayedAsCbsdHintsAtDashBLibvirt()
    {
        var r = Replay(BackendKind.Cbsd, RepoPaths.Sample("libvirt", "recorded-lab"));
        Assert.NotEqual(0, r.Envelope.Error);
        Assert.EndsWith("replay it with -b Libvirt", r.Envelope.ErrorString);
    }

    [Fact]
    public void TheRightBackendGetsNoHint()
    {
        var r = Replay(BackendKind.Cbsd, RepoPaths.Sample("cbsd", "freebsd14-nocolor"));
        Assert.Equal(0, r.Envelope.Error);
        Assert.DoesNotContain("replay it with", r.Envelope.ErrorString);
    }
}
