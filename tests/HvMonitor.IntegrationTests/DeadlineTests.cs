using System.Text.Json;
using HvMonitor.IntegrationTests.Snmp;
using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>
/// The deadline hit part-way: LibreNMS throws a whole sample away when error ≠ 0, so a run that collected some
/// VMs reports them with error 0, names the missing ones in errorString, and exits 3 so that cron mails it.
/// A libvirtd that stops answering between domains cannot be timed from outside, so the per-domain work is
/// stalled through hv-monitor's test-only HV_MONITOR_TEST_STALL_AFTER_DOMAINS seam, on libvirt's test
/// driver (a real libvirt, no daemon): the deadline itself, the cancellation and the envelope are the real ones.
/// </summary>
public sealed class DeadlineTests
{
    private const string StallVariable = "HV_MONITOR_TEST_STALL_AFTER_DOMAINS";
    private const int Domains = 6;

    private static (CommandResult Run, JsonElement Envelope, List<string> Names) RunStalledAfter(int collected)
    {
        var dir = Directory.CreateTempSubdirectory("hvm-deadline-").FullName;
        var uri = TestDriverHost.Uri(TestDriverHost.Write(dir, Domains));
        var names = GroundTruth.DomainNames(uri);
        Assert.Equal(Domains, names.Count);
        var r = HvMonitorBinary.RunWithEnv(new Dictionary<string, string> { [StallVariable] = collected.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            "--uri", uri, "--timeout", "2");
        return (r, JsonDocument.Parse(r.StdoutBytes).RootElement.Clone(), names);
    }

    [Fact]
    public void ADeadlineAfterSomeDomainsKeepsThemWithErrorZeroAndNamesTheRest()
    {
        var (r, e, names) = RunStalledAfter(2);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal(0, e.GetProperty("error").GetInt32());
        var collected = e.GetProperty("data").GetProperty("VMs").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(2, collected.Count);
        Assert.All(collected, n => Assert.Contains(n, names));
        var missing = names.Except(collected).Order(StringComparer.Ordinal).ToList();
        var errorString = e.GetProperty("errorString").GetString()!;
        Assert.StartsWith("incomplete: collection did not finish within 2 s", errorString);
        Assert.Contains($"2 of {Domains} VM(s) collected; missing: " + string.Join(", ", missing.Select(n => $"'{n}'")), errorString);
        // The totals are the collected VMs' (every test-driver domain runs).
        Assert.Equal(2UL, e.GetProperty("data").GetProperty("totals").GetProperty("on").GetUInt64());
        // cron's mail says the same.
        Assert.Contains("warning: incomplete: collection did not finish within 2 s", r.Stderr);
        // And LibreNMS keeps it.
        Assert.Equal(0, LibreNms.JsonAppGet(r.StdoutBytes).GetProperty("error").GetInt32());
    }

    [Fact]
    public void ADeadlineBeforeAnyDomainIsAnErrorNamingHowManyWereListed()
    {
        var (r, e, _) = RunStalledAfter(0);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(2, e.GetProperty("error").GetInt32());
        Assert.Empty(e.GetProperty("data").GetProperty("VMs").EnumerateObject());
        Assert.Equal($"collection did not finish within 2 s (is the hypervisor responding?); none of the {Domains} VM(s) listed was collected",
            e.GetProperty("errorString").GetString());
        Assert.Contains("hv-monitor: error: collection did not finish within 2 s", r.Stderr);
    }

    [Fact]
    public void WithoutTheSeamTheSameHostIsCollectedWhole()
    {
        var dir = Directory.CreateTempSubdirectory("hvm-deadline-").FullName;
        var r = HvMonitorBinary.Run("--uri", TestDriverHost.Uri(TestDriverHost.Write(dir, Domains)), "--timeout", "2");
        Assert.Equal(0, r.ExitCode);
        var e = JsonDocument.Parse(r.StdoutBytes).RootElement;
        Assert.Equal(Domains, e.GetProperty("data").GetProperty("VMs").EnumerateObject().Count());
        Assert.Equal("", e.GetProperty("errorString").GetString());
    }
}
