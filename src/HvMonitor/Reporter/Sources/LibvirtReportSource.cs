using HvMonitor.Reporter.Logging;
using HvMonitor.Shared.Libvirt;

namespace HvMonitor.Reporter.Sources;

/// <summary>
/// type=libvirt (docs/virt-who-compatibility.md, "Source: libvirt"): a read-only connection (through the auth callback when a password is
/// set), every domain by ID then defined, and for a remote section the host's id, name and facts,
/// filtered by filter_hosts/exclude_hosts. Host uuid, name and sockets are cached for the source's life,
/// as virt-who does; type and version are read each time.
/// </summary>
public sealed class LibvirtReportSource(SourceSettings settings, IReporterLog log, TimeProvider? clock = null) : IReportSource
{
    public const string VirtWhoType = "libvirt";
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private HostCapabilities? _capabilities;
    private string? _hostname;

    public string ConfigName => settings.Name;

    public string? Connection => settings.Uri;

    public SourceReport Collect(CancellationToken cancellation) => Collect(cancellation, needLocalHostId: true);

    /// <summary>-p prints only a local report's guests, so the local host id (capabilities) is not read.</summary>
    public SourceReport CollectForPrint(CancellationToken cancellation) => Collect(cancellation, needLocalHostId: false);

    private SourceReport Collect(CancellationToken cancellation, bool needLocalHostId)
    {
        cancellation.ThrowIfCancellationRequested();
        try
        {
            using var connection = Open();
            var guests = connection.ListDomainsByIdThenDefined()
                .Select(d => new Guest(d.Uuid, d.State, d.State is 1 or 3, VirtWhoType))
                .ToList();
            var created = _clock.GetUtcNow();
            if (!settings.IsRemote)
                return new DomainListReport(settings.Name, created, needLocalHostId ? HypervisorId(connection) : null, guests);
            var hypervisorId = HypervisorId(connection);

            _hostname ??= connection.GetHostname();
            var facts = new List<Fact>
            {
                new("cpu.cpu_socket(s)", Capabilities(connection).Sockets),
                new("hypervisor.type", connection.GetHypervisorType()),
                new("hypervisor.version", null, connection.GetHypervisorVersion()),
                new("dmi.system.uuid", Capabilities(connection).HostUuid),
            };
            var hypervisor = new Hypervisor(hypervisorId, _hostname, guests, facts);
            if (!HostFilter.Keeps(hypervisorId, settings.Filter))
            {
                log.Debug($"[{settings.Name}]: host '{hypervisorId}' is filtered out by filter_hosts/exclude_hosts");
                return new HostGuestReport(settings.Name, created, []);
            }
            return new HostGuestReport(settings.Name, created, [hypervisor]);
        }
        catch (LibvirtException e)
        {
            throw new ReportSourceException(e.Message, e);
        }
        catch (System.Xml.XmlException e)
        {
            throw new ReportSourceException($"the capabilities XML of '{settings.Uri ?? "the local libvirt"}' cannot be parsed: {e.Message}", e);
        }
    }

    public void TestConnection(CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        try
        {
            using var connection = Open();
        }
        catch (LibvirtException e)
        {
            throw new ReportSourceException(e.Message, e);
        }
    }

    /// <summary>A local section opens libvirt with no URI (NULL), as virt-who does, so libvirt's own default
    /// applies; the log line shows "" for it, as virt-who's does.</summary>
    private LibvirtConnection Open()
    {
        var uri = settings.Uri;
        log.Info($"Using libvirt url: {uri ?? "\"\""}");
        return settings.Password is { } password
            ? LibvirtConnection.OpenReadOnly(uri, settings.Username, password.Reveal())
            : LibvirtConnection.OpenReadOnly(uri);
    }

    private HostCapabilities Capabilities(LibvirtConnection connection) =>
        _capabilities ??= HostCapabilities.Parse(connection.GetCapabilities());

    /// <summary>hypervisor_id uuid: capabilities host/uuid; hostname: virConnectGetHostname; anything else
    /// (possible only in a section without type) gives null, as virt-who does.</summary>
    private string? HypervisorId(LibvirtConnection connection) => settings.HypervisorId switch
    {
        "uuid" => Capabilities(connection).HostUuid,
        "hostname" => _hostname ??= connection.GetHostname(),
        _ => null,
    };
}
