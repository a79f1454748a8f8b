using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HvMonitor.IntegrationTests.Reporter;

/// <summary>One `hv-monitor report` run of the published binary on a throw-away --sysroot holding the given drop-in.</summary>
public sealed class ReportRun : IDisposable
{
    private ReportRun(string root) => Root = root;

    public string Root { get; }

    public static ReportRun With(string dropIn, string? general = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "hvm-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "etc", "virt-who.d"));
        File.WriteAllText(Path.Combine(root, "etc", "virt-who.d", "test.conf"), dropIn);
        File.WriteAllText(Path.Combine(root, "etc", "virt-who.conf"), general ?? "[global]\n");
        return new ReportRun(root);
    }

    public CommandResult Run(params string[] args) => HvMonitorBinary.Run(["report", .. args, "--sysroot", Root]);

    /// <summary>-p, insisting on exit 0; returns the "hypervisors" array and the run.</summary>
    public (JsonElement[] Hypervisors, CommandResult Run) Print(params string[] extra)
    {
        var r = Run(["-p", .. extra]);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"report -p exited {r.ExitCode}: {r.Stderr}");
        using var doc = JsonDocument.Parse(r.Stdout);
        return (doc.RootElement.GetProperty("hypervisors").EnumerateArray().Select(e => e.Clone()).ToArray(), r);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>The host as virsh reports it: what virt-who's facts must equal.</summary>
public static partial class VirshHost
{
    private const string Uri = LabFixture.Uri;

    /// <summary>
    /// The suite's own guests (<see cref="GroundTruth.DomainNames"/>: other users' guests come and go) with `virsh
    /// domuuid` and `virsh domstate` of each, as uuid → virt-who state number.
    /// </summary>
    public static Dictionary<string, int> DomainStates() =>
        GroundTruth.DomainNames(Uri).ToDictionary(
            n => GroundTruth.Virsh(Uri, "domuuid", n).Trim().ToLowerInvariant(),
            n => StateNumber(GroundTruth.Virsh(Uri, "domstate", n).Trim()));

    /// <summary>virsh's state words (virshDomainStateToString) → virDomainState.</summary>
    public static int StateNumber(string word) => word switch
    {
        "no state" => 0,
        "running" => 1,
        "idle" => 2,
        "paused" => 3,
        "in shutdown" => 4,
        "shut off" => 5,
        "crashed" => 6,
        "pmsuspended" => 7,
        _ => throw new InvalidOperationException("unknown virsh state: " + word),
    };

    public static string Capabilities() => GroundTruth.Virsh(Uri, "capabilities");

    public static string HostUuid() => HostUuidPattern().Match(Capabilities()).Groups[1].Value;

    public static string Sockets() => SocketsPattern().Match(Capabilities()).Groups[1].Value;

    public static string Hostname() => GroundTruth.Virsh(Uri, "hostname").Trim();

    /// <summary>`virsh version`'s "Running hypervisor: QEMU 7.2.22" as (type, 7002022).</summary>
    public static (string Type, long Version) Hypervisor()
    {
        var m = RunningHypervisor().Match(GroundTruth.Virsh(Uri, "version"));
        long version = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * 1_000_000
                       + long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) * 1_000
                       + long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
        return (m.Groups[1].Value, version);
    }

    [GeneratedRegex(@"<host>\s*<uuid>([^<]+)</uuid>")]
    private static partial Regex HostUuidPattern();

    [GeneratedRegex(@"<host>.*?<topology sockets='(\d+)'", RegexOptions.Singleline)]
    private static partial Regex SocketsPattern();

    [GeneratedRegex(@"Running hypervisor: (\S+) (\d+)\.(\d+)\.(\d+)")]
    private static partial Regex RunningHypervisor();
}
