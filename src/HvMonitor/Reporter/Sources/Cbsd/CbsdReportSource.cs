using System.Globalization;
using HvMonitor.Reporter.Logging;
using HvMonitor.Shared.Commands;

namespace HvMonitor.Reporter.Sources.Cbsd;

/// <summary>
/// type=cbsd (hv-monitor's own; virt-who has no FreeBSD support): the host's bhyve VMs from CBSD, through the
/// command seam the CBSD collector backend uses (so <c>--record</c>/<c>--replay</c> work here too). Two
/// commands per collection: <see cref="CbsdGuestList.Command"/> and <see cref="HostCommand"/>. Each VM's
/// guestId is the UUID the guest sees (<see cref="BhyveUuid"/>); state 1 for On and a running Maintenance
/// VM, 5 for Off, 0 otherwise. The host is reported like a remote libvirt host: hypervisorId
/// kern.hostuuid (hypervisor_id=uuid) or kern.hostname, name kern.hostname, facts hypervisor.type "bhyve",
/// hypervisor.version kern.osreldate, dmi.system.uuid kern.hostuuid (no socket count: FreeBSD has no
/// simple sysctl for it, so cpu.cpu_socket(s) is null).
/// </summary>
public sealed class CbsdReportSource(SourceSettings settings, ICommandRunner runner, IReporterLog log, TimeProvider? clock = null) : IReportSource
{
    public const string VirtWhoType = "cbsd";
    public static readonly string[] HostCommand = ["sysctl", "-n", "kern.hostname", "kern.hostuuid", "kern.osreldate"];
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static readonly IReadOnlyDictionary<string, string> NoColour = new Dictionary<string, string> { ["NOCOLOR"] = "1" };
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string ConfigName => settings.Name;

    /// <summary>CBSD is read on this host: there is no connection URI.</summary>
    public string? Connection => null;

    public SourceReport Collect(CancellationToken cancellation)
    {
        var (hostname, hostUuid, osReleaseDate) = HostFacts(cancellation);
        var text = Run(new CommandRequest(CbsdGuestList.Command, CommandTimeout) { Environment = NoColour }, cancellation);
        var (rows, rejected) = CbsdGuestList.Parse(text);
        foreach (var line in rejected)
            log.Warning($"[{settings.Name}]: cbsd bls printed a line that is not a VM, ignored: {line}");
        var guests = rows
            .Select(r => new Guest(BhyveUuid.GuestVisible(r.Uuid, r.Name, hostname), r.State, r.State == 1, VirtWhoType))
            .ToList();
        string? hypervisorId = settings.HypervisorId == "hostname" ? hostname : hostUuid;
        var facts = new List<Fact>
        {
            new("cpu.cpu_socket(s)", null),
            new("hypervisor.type", "bhyve"),
            long.TryParse(osReleaseDate, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                ? new Fact("hypervisor.version", null, version)
                : new Fact("hypervisor.version", osReleaseDate),
            new("dmi.system.uuid", hostUuid),
        };
        var created = _clock.GetUtcNow();
        if (!HostFilter.Keeps(hypervisorId, settings.Filter))
        {
            log.Debug($"[{settings.Name}]: host '{hypervisorId}' is filtered out by filter_hosts/exclude_hosts");
            return new HostGuestReport(settings.Name, created, []);
        }
        return new HostGuestReport(settings.Name, created, [new Hypervisor(hypervisorId, hostname, guests, facts)]);
    }

    public void TestConnection(CancellationToken cancellation) => HostFacts(cancellation);

    /// <summary>kern.hostname is what bhyve hashed (gethostname); kern.hostuuid the host's id.</summary>
    private (string Hostname, string? HostUuid, string OsReleaseDate) HostFacts(CancellationToken cancellation)
    {
        var lines = Run(new CommandRequest(HostCommand, CommandTimeout), cancellation)
            .Split('\n').Select(l => l.Trim()).ToArray();
        if (lines.Length < 3 || lines[0].Length == 0)
            throw new ReportSourceException($"'{string.Join(' ', HostCommand)}' did not print the host name, host uuid and release date");
        var uuid = lines[1].ToLowerInvariant();
        return (lines[0], uuid.Length > 0 ? uuid : null, lines[2]);
    }

    private string Run(CommandRequest request, CancellationToken cancellation)
    {
        CommandResult result;
        try
        {
            result = runner.Run(request, cancellation);
        }
        catch (ReplayMissingException e)
        {
            throw new ReportSourceException(e.Message, e);
        }
        if (!result.Succeeded)
            throw new ReportSourceException(result.DescribeFailure(request));
        var text = result.StdoutText(out bool replaced);
        if (replaced)
            log.Warning($"[{settings.Name}]: '{request.DisplayLine}' printed invalid UTF-8; the bad bytes became U+FFFD");
        return text;
    }
}
