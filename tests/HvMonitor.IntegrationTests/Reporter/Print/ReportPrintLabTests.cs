using System.Text.Json;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter.Print;

/// <summary>`hv-monitor report -p` against the real lab, every value checked against virsh.</summary>
[Collection(LabCollection.Name)]
public sealed class ReportPrintLabTests
{
    private static Dictionary<string, (int State, int Active)> Guests(JsonElement hypervisorEntry) =>
        hypervisorEntry.GetProperty("guestIds").EnumerateArray().ToDictionary(
            g => g.GetProperty("guestId").GetString()!,
            g =>
            {
                Assert.Equal("libvirt", g.GetProperty("attributes").GetProperty("virtWhoType").GetString());
                return (g.GetProperty("state").GetInt32(), g.GetProperty("attributes").GetProperty("active").GetInt32());
            });

    private static void AssertGuestsAreTheLabs(JsonElement entry)
    {
        var truth = VirshHost.DomainStates();
        Assert.True(truth.Count >= 5, "the lab should have its guests up");
        Assert.Contains(truth.Values, s => s == 1);
        Assert.Contains(truth.Values, s => s == 3);
        Assert.Contains(truth.Values, s => s == 5);
        // Every guest of the suite is there; other users' guests may be too, and are not looked at.
        var ours = Guests(entry).Where(g => truth.ContainsKey(g.Key)).ToDictionary();
        var missing = truth.Keys.Where(u => !ours.ContainsKey(u)).Select(u => $"{u} ({GroundTruth.Virsh(LabFixture.Uri, "domname", u).Trim()})");
        Assert.True(ours.Count == truth.Count, "our guests missing from the report: " + string.Join(", ", missing));
        foreach (var (uuid, state) in truth)
            Assert.Equal((state, state is 1 or 3 ? 1 : 0), ours[uuid]);
        // virt-who's order: running domains (by ID) first, then the defined ones.
        var states = entry.GetProperty("guestIds").EnumerateArray().Select(g => g.GetProperty("state").GetInt32()).ToList();
        Assert.Equal(states.OrderBy(s => s == 5 ? 1 : 0), states);
    }

    /// <summary>
    /// Listing by count-then-fetch (virConnectNumOfDomains, then virConnectListDomains of that many) drops some
    /// domain, any domain, when another is started or defined in between: our guests went missing from `-p` in
    /// repeated runs beside the foreign churn. With two churns at once, every run lists every one of ours.
    /// </summary>
    [Fact]
    public void EveryGuestIsListedWhileOtherUsersGuestsAreDefinedAndStarted()
    {
        var truth = VirshHost.DomainStates();
        Assert.True(truth.Count >= 5, "the lab should have its guests up");
        using var secondChurn = new ForeignChurn("other-hvmtest-churn2");
        using var run = ReportRun.With("[local]\ntype=libvirt\n");
        for (int i = 0; i < 25; i++)
        {
            var (hypervisors, r) = run.Print();
            var listed = Guests(Assert.Single(hypervisors));
            var missing = truth.Keys.Where(u => !listed.ContainsKey(u)).ToList();
            Assert.True(missing.Count == 0, $"run {i}: our guests {string.Join(", ", missing)} are missing\n{r.Stderr}");
            Assert.All(truth, t => Assert.Equal(t.Value, listed[t.Key].State));
        }
    }

    [Fact]
    public void LocalSectionListsEveryDomainWithStateAndActiveFlag()
    {
        using var run = ReportRun.With("[local]\ntype=libvirt\n");
        var (hypervisors, r) = run.Print();
        var entry = Assert.Single(hypervisors);
        Assert.Equal(["guestIds"], entry.EnumerateObject().Select(p => p.Name));
        AssertGuestsAreTheLabs(entry);
        // A local section opens libvirt with no URI, as virt-who does (and logs "" for it).
        Assert.Contains("Using libvirt url: \"\"", r.Stderr);
        Assert.StartsWith("{\n    \"hypervisors\": [\n        {\n            \"guestIds\": [\n                {\n                    \"guestId\": \"", r.Stdout);
    }

    [Theory]
    [InlineData("qemu:///system")]
    [InlineData("qemu+unix:///system")]
    public void RemoteSectionReportsTheHostWithVirshsFacts(string server)
    {
        using var run = ReportRun.With($"[remote]\ntype=libvirt\nserver={server}\nowner=Org\n");
        var (hypervisors, r) = run.Print();
        var entry = Assert.Single(hypervisors);
        Assert.Equal(["hypervisorId", "name", "guestIds", "facts"], entry.EnumerateObject().Select(p => p.Name));
        var hostUuid = VirshHost.HostUuid();
        Assert.Equal(hostUuid, entry.GetProperty("hypervisorId").GetProperty("hypervisorId").GetString());
        Assert.Equal(VirshHost.Hostname(), entry.GetProperty("name").GetString());
        var facts = entry.GetProperty("facts");
        Assert.Equal(["cpu.cpu_socket(s)", "hypervisor.type", "hypervisor.version", "dmi.system.uuid"], facts.EnumerateObject().Select(p => p.Name));
        Assert.Equal(VirshHost.Sockets(), facts.GetProperty("cpu.cpu_socket(s)").GetString());
        var (type, version) = VirshHost.Hypervisor();
        Assert.Equal(type, facts.GetProperty("hypervisor.type").GetString());
        Assert.Equal(JsonValueKind.Number, facts.GetProperty("hypervisor.version").ValueKind);
        Assert.Equal(version, facts.GetProperty("hypervisor.version").GetInt64());
        Assert.Equal(hostUuid, facts.GetProperty("dmi.system.uuid").GetString());
        AssertGuestsAreTheLabs(entry);
        Assert.Contains($"Using libvirt url: {server}", r.Stderr);
    }

    [Fact]
    public void HostnameIdAndPasswordThroughTheAuthCallback()
    {
        // A password makes hv-monitor open with virConnectOpenAuth (read-only); the local socket never asks.
        using var run = ReportRun.With("[remote]\ntype=libvirt\nserver=qemu:///system\nowner=Org\nhypervisor_id=hostname\nusername=admin\npassword=LabPw9\n");
        var (hypervisors, r) = run.Print("-d");
        var entry = Assert.Single(hypervisors);
        Assert.Equal(VirshHost.Hostname(), entry.GetProperty("hypervisorId").GetProperty("hypervisorId").GetString());
        AssertGuestsAreTheLabs(entry);
        Assert.DoesNotContain("LabPw9", r.Stdout + r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("filter_hosts={uuid8}*\nfilter_type=wildcards\n", true)]
    [InlineData("filter_hosts={UUID8}*\n", true)]
    [InlineData("filter_hosts={uuid8}.*\nfilter_type=regex\n", true)]
    [InlineData("filter_hosts={uuid8}*\nfilter_type=regex\n", false)]
    [InlineData("filter_hosts=other*, {uuid}\n", true)]
    [InlineData("filter_hosts=other*\n", false)]
    [InlineData("filter_hosts=\n", false)]
    [InlineData("exclude_hosts=\n", true)]
    [InlineData("exclude_hosts={uuid8}*\n", false)]
    [InlineData("filter_hosts=*\nexclude_hosts={uuid}\n", false)]
    [InlineData("hypervisor_id=hostname\nfilter_hosts={hostname}\n", true)]
    [InlineData("filter_hosts={hostname}\n", false)] // matched against the id (uuid), never the name
    public void FiltersKeepOrDropTheHost(string filter, bool kept)
    {
        var uuid = VirshHost.HostUuid();
        var text = filter.Replace("{uuid8}", uuid[..8], StringComparison.Ordinal)
            .Replace("{UUID8}", uuid[..8].ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("{uuid}", uuid, StringComparison.Ordinal)
            .Replace("{hostname}", VirshHost.Hostname(), StringComparison.Ordinal);
        using var run = ReportRun.With($"[remote]\ntype=libvirt\nserver=qemu:///system\nowner=Org\n{text}");
        var (hypervisors, _) = run.Print();
        Assert.Equal(kept ? 1 : 0, hypervisors.Length);
    }

    [Fact]
    public void FiltersAreIgnoredForTheLocalLibvirt()
    {
        using var run = ReportRun.With("[local]\ntype=libvirt\nfilter_hosts=\nfilter_type=wildcards\n");
        var (hypervisors, _) = run.Print();
        AssertGuestsAreTheLabs(Assert.Single(hypervisors));
    }

    [Fact]
    public void BadSectionIsNamedAndGoodOnesPrintInNameOrder()
    {
        using var run = ReportRun.With(
            "[z-remote]\ntype=libvirt\nserver=qemu:///system\nowner=Org\n" +
            "[bad one]\ntype=libvirt\nhypervisor_id=serial\n" +
            "[a-local]\ntype=libvirt\n" +
            "[m-unreachable]\ntype=libvirt\nserver=qemu+tcp://127.0.0.1:1/system\nowner=Org\n");
        var (hypervisors, r) = run.Print();
        Assert.Equal(2, hypervisors.Length);
        Assert.Equal(["guestIds"], hypervisors[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(VirshHost.HostUuid(), hypervisors[1].GetProperty("hypervisorId").GetProperty("hypervisorId").GetString());
        Assert.Contains("[ERROR] [bad one]: Invalid option: \"serial\" for hypervisor_id, use one of: (uuid, hostname)", r.Stderr);
        Assert.Contains("[WARNING] Dropping invalid configuration \"bad one\"", r.Stderr);
        Assert.Contains("[ERROR] [m-unreachable]: unable to read the source: cannot connect to libvirt at 'qemu+tcp://127.0.0.1:1/system'", r.Stderr);
    }

    [Fact]
    public void AFailingOnlySourcePrintsAnEmptyListAndExits0()
    {
        using var run = ReportRun.With("[gone]\ntype=libvirt\nserver=qemu+tcp://127.0.0.1:1/system\nowner=Org\n");
        var (hypervisors, r) = run.Print();
        Assert.Empty(hypervisors);
        Assert.Equal("{\n    \"hypervisors\": []\n}\n", r.Stdout);
    }
}
