using HvMonitor.Reporter.Sources;
using HvMonitor.Shared.Text;

namespace HvMonitor.Reporter.Config;

/// <summary>
/// A section's destination keys as written (null = key absent), before rhsm.conf fills the gaps
/// (docs/virt-who-compatibility.md, "Destinations and rhsm.conf"). Passwords are already decrypted into <see cref="Secret"/>s.
/// </summary>
public sealed record RhsmOverrides
{
    public string? Hostname { get; init; }
    public string? Port { get; init; }
    public string? Prefix { get; init; }
    public string? Username { get; init; }
    public Secret? Password { get; init; }
    public string? ProxyHostname { get; init; }
    public string? ProxyPort { get; init; }
    public string? ProxyUser { get; init; }
    public Secret? ProxyPassword { get; init; }
    public string? NoProxy { get; init; }
    public string? Insecure { get; init; }
}

/// <summary>
/// One source section after validation: everything a source and a destination need, nothing raw.
/// </summary>
public sealed record SectionSettings
{
    public required string Name { get; init; }
    /// <summary>"libvirt" (also for a section without type), "cbsd", or a virt-who type hv-monitor does not collect.</summary>
    public required string Type { get; init; }
    /// <summary>True for a section without <c>type</c>: libvirt, but server not rewritten, hypervisor_id unchecked.</summary>
    public bool IsGeneric { get; init; }
    /// <summary>The libvirt URI for a remote source (after the rewrite of docs/virt-who-compatibility.md, "The server URI"), null for the local libvirt.</summary>
    public string? Uri { get; init; }
    public string? Username { get; init; }
    public Secret? Password { get; init; }
    /// <summary>"uuid" (default) or "hostname"; for a generic section any other value gives a null hypervisorId.</summary>
    public string HypervisorId { get; init; } = "uuid";
    public HostFilterSettings Filter { get; init; } = HostFilterSettings.None;
    /// <summary>null or empty: no destination of its own (local consumer update / default destination).</summary>
    public string? Owner { get; init; }
    public RhsmOverrides Rhsm { get; init; } = new();

    public bool IsRemote => Uri is not null;

    /// <summary>What the section's source reads (Sources/ does not know the configuration's types).</summary>
    public SourceSettings Source => new(Name, Uri, Username, Password, HypervisorId, Filter);
}
