using HvMonitor.Reporter.Sending;
using Xunit;

namespace HvMonitor.Tests.Reporter.Sending;

/// <summary>virt-who's waits, and the one test hook that shortens them for end-to-end tests.</summary>
public sealed class ReporterTimingTests
{
    [Fact]
    public void TimingDefaultsAreVirtWhosAndTheTestVariableShortensThem()
    {
        var defaults = ReporterTiming.Parse(null);
        Assert.Equal((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)), (defaults.JobPollDelay, defaults.ThrottleDefault, defaults.EventMinimumGap));
        Assert.Equal(TimeSpan.FromSeconds(3600), defaults.Interval(TimeSpan.FromSeconds(3600)));
        var test = ReporterTiming.Parse("interval=1.5, jobpoll=0.2,bogus,throttle=x");
        Assert.Equal(TimeSpan.FromSeconds(1.5), test.Interval(TimeSpan.FromSeconds(3600)));
        Assert.Equal(TimeSpan.FromSeconds(0.2), test.JobPollDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), test.ThrottleDefault);
    }
}
