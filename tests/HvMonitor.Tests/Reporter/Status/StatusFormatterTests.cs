using HvMonitor.Reporter.Status;
using Xunit;

namespace HvMonitor.Tests.Reporter.Status;

/// <summary>-s / -s -j layouts (docs/virt-who-compatibility.md, "Status mode (-s, -s -j)").</summary>
public sealed class StatusFormatterTests
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
}
