using HvMonitor.Reporter.Daemon;
using HvMonitor.Reporter.Status;
using Xunit;

namespace HvMonitor.Tests.ReporterSend;

/// <summary>-s / -s -j layouts (virt-who.md §4.2–4.3) and the test-only timing variable.</summary>
public sealed class StatusAndTimingTests
{
    private static readonly ConfigurationStatus Good = new("esx conf", new StatusSide("qemu+ssh://h/system", null), "2026-11-22 04:30:15 UTC", 1, 16,
        new StatusSide("cp.example.com", null), "2026-11-22 04:30:17 UTC", "FINISHED");

    private static readonly ConfigurationStatus Bad = new("local", new StatusSide(null, "cannot connect: refused"), null, null, null,
        new StatusSide("", "Error during status connection: Unable to connect to h:443: Connection refused"), null, null);

    [Fact]
    public void TextHasTheBannerColoursAndBlankLines() => Assert.Equal(
        "+-------------------------------------------+\n           Configuration Status\n+-------------------------------------------+\n"
        + "Configuration Name: esx conf\nSource Status: \u001b[1;32msuccess\u001b[0;0m\nDestination Status: \u001b[1;32msuccess\u001b[0;0m\n\n"
        + "Configuration Name: local\nSource Status: \u001b[1;31mfailure\u001b[0;0m\nDestination Status: \u001b[1;31mfailure\u001b[0;0m\n\n\n",
        StatusFormatter.Text([Good, Bad]));

    [Fact]
    public void JsonUsesNullAndAddsAFullStopToMessages() => Assert.Equal("""
        {
            "configurations": [
                {
                    "name": "esx conf",
                    "source": {
                        "connection": "qemu+ssh://h/system",
                        "status": "success",
                        "last_successful_retrieve": "2026-11-22 04:30:15 UTC",
                        "hypervisors": 1,
                        "guests": 16
                    },
                    "destination": {
                        "connection": "cp.example.com",
                        "status": "success",
                        "last_successful_send": "2026-11-22 04:30:17 UTC",
                        "last_successful_send_job_status": "FINISHED"
                    }
                },
                {
                    "name": "local",
                    "source": {
                        "connection": null,
                        "status": "failure",
                        "message": "cannot connect: refused.",
                        "last_successful_retrieve": null,
                        "hypervisors": null,
                        "guests": null
                    },
                    "destination": {
                        "connection": "",
                        "status": "failure",
                        "message": "Error during status connection: Unable to connect to h:443: Connection refused.",
                        "last_successful_send": null,
                        "last_successful_send_job_status": null
                    }
                }
            ]
        }

        """.ReplaceLineEndings("\n"), StatusFormatter.Json([Good, Bad]));

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
