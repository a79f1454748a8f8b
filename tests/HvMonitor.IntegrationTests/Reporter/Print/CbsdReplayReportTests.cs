using System.Text.Json;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter.Print;

/// <summary>
/// type=cbsd through the real binary, replaying samples/cbsd-report/freebsd14 (no FreeBSD host here); the
/// expectation is <see cref="CbsdSample"/>.
/// </summary>
public sealed class CbsdReplayReportTests
{
    private static string Sample => CbsdSample.Directory;

    [Fact]
    public void PrintModeReportsTheGuestVisibleUuidsStatesAndHostFacts()
    {
        using var run = ReportRun.With("[bsd]\ntype=cbsd\nowner=Org\n");
        var (hypervisors, r) = run.Print("--replay", Sample);
        var host = Assert.Single(hypervisors);
        Assert.Equal(CbsdSample.HostUuid, host.GetProperty("hypervisorId").GetProperty("hypervisorId").GetString());
        Assert.Equal("bsd1.example.com", host.GetProperty("name").GetString());
        var guests = host.GetProperty("guestIds").EnumerateArray()
            .Select(g => (g.GetProperty("guestId").GetString()!, g.GetProperty("state").GetInt32(),
                g.GetProperty("attributes").GetProperty("active").GetInt32(), g.GetProperty("attributes").GetProperty("virtWhoType").GetString()!))
            .ToList();
        Assert.Equal(CbsdSample.Guests.Select(g => (g.GuestId, g.State, g.Active, "cbsd")), guests);
        var facts = host.GetProperty("facts");
        Assert.Equal(JsonValueKind.Null, facts.GetProperty("cpu.cpu_socket(s)").ValueKind);
        Assert.Equal("bhyve", facts.GetProperty("hypervisor.type").GetString());
        Assert.Equal(1402000, facts.GetProperty("hypervisor.version").GetInt64());
        Assert.Equal("2b8f0e4a-5e36-11ee-9c4b-0cc47a8b9d10", facts.GetProperty("dmi.system.uuid").GetString());
        Assert.Contains("cbsd bls printed a line that is not a VM, ignored: Unable", r.Stderr);
    }

    [Theory]
    [InlineData("hypervisor_id=hostname\n", "bsd1.example.com", true)]
    [InlineData("hypervisor_id=hostname\nfilter_hosts=*.example.com\n", "bsd1.example.com", true)]
    [InlineData("exclude_hosts=2B8F0E4A*\n", null, false)]
    public void HostnameIdAndFilters(string extra, string? id, bool kept)
    {
        using var run = ReportRun.With("[bsd]\ntype=cbsd\nowner=Org\n" + extra);
        var (hypervisors, _) = run.Print("--replay", Sample);
        Assert.Equal(kept ? 1 : 0, hypervisors.Length);
        if (kept)
            Assert.Equal(id, hypervisors[0].GetProperty("hypervisorId").GetProperty("hypervisorId").GetString());
    }

    [Fact]
    public void ACbsdSectionNeedsAnOwnerAndAMissingRecordingIsNamed()
    {
        using var noOwner = ReportRun.With("[bsd]\ntype=cbsd\n");
        var r = noOwner.Run("-p", "--replay", Sample);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("[bsd]: Required option: \"owner\" not set.", r.Stderr);

        using var empty = ReportRun.With("[bsd]\ntype=cbsd\nowner=Org\n");
        var dir = Path.Combine(empty.Root, "empty-recording");
        Directory.CreateDirectory(dir);
        var (hypervisors, run) = empty.Print("--replay", dir);
        Assert.Empty(hypervisors);
        Assert.Contains("[bsd]: unable to read the source: the recording in", run.Stderr);
    }
}
