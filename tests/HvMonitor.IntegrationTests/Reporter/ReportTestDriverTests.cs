using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter;

/// <summary>
/// A remote section on libvirt's built-in test driver (test:///default, no daemon, so no lab lock): a host
/// without a host UUID or socket count, which virt-who prints as nulls. Ground truth from virsh on the same URI.
/// </summary>
public sealed partial class ReportTestDriverTests
{
    private const string Uri = "test:///default";

    [GeneratedRegex(@"Running hypervisor: (\S+) (\d+)\.(\d+)\.(\d+)")]
    private static partial Regex RunningHypervisor();

    [Theory]
    [InlineData("[t]\ntype=libvirt\nserver=test:///default\nowner=o\n")]
    [InlineData("[t]\nserver=test:///default\nowner=o\n")]
    public void RemoteFactsAndNullsAsVirshSays(string section)
    {
        using var run = ReportRun.With(section);
        var (hypervisors, r) = run.Print();
        var host = Assert.Single(hypervisors);
        Assert.Contains("Using libvirt url: test:///default", r.Stderr);

        Assert.DoesNotContain("<uuid>", GroundTruth.Virsh(Uri, "capabilities").Split("<guest>")[0], StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, host.GetProperty("hypervisorId").GetProperty("hypervisorId").ValueKind);
        Assert.Equal(GroundTruth.Virsh(Uri, "hostname").Trim(), host.GetProperty("name").GetString());
        var m = RunningHypervisor().Match(GroundTruth.Virsh(Uri, "version"));
        long version = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * 1_000_000
                       + long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) * 1_000
                       + long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
        var facts = host.GetProperty("facts");
        Assert.Equal(JsonValueKind.Null, facts.GetProperty("cpu.cpu_socket(s)").ValueKind);
        Assert.Equal(m.Groups[1].Value, facts.GetProperty("hypervisor.type").GetString());
        Assert.Equal(version, facts.GetProperty("hypervisor.version").GetInt64());
        Assert.Equal(JsonValueKind.Null, facts.GetProperty("dmi.system.uuid").ValueKind);

        var uuids = GroundTruth.Virsh(Uri, "list", "--all", "--uuid").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var guests = host.GetProperty("guestIds").EnumerateArray().ToList();
        Assert.Equal(uuids, guests.Select(g => g.GetProperty("guestId").GetString()));
        Assert.All(guests, g =>
        {
            Assert.Equal(1, g.GetProperty("state").GetInt32()); // the test driver's domain runs
            Assert.Equal(1, g.GetProperty("attributes").GetProperty("active").GetInt32());
        });
    }

    [Fact]
    public void HostnameIdOnTheTestDriver()
    {
        using var run = ReportRun.With("[t]\ntype=libvirt\nserver=test:///default\nowner=o\nhypervisor_id=hostname\n");
        var (hypervisors, _) = run.Print();
        Assert.Equal(GroundTruth.Virsh(Uri, "hostname").Trim(), Assert.Single(hypervisors).GetProperty("hypervisorId").GetProperty("hypervisorId").GetString());
    }
}
