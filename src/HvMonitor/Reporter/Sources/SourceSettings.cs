using HvMonitor.Shared.Text;

namespace HvMonitor.Reporter.Sources;

/// <summary>filter_type: unset means a host matches if either the wildcard or the regex test matches (docs/virt-who-compatibility.md, "Host filters").</summary>
public enum FilterType { Either, Wildcards, Regex }

/// <summary>filter_hosts / exclude_hosts: null when the key is absent; an empty list filters every host out.</summary>
public sealed record HostFilterSettings(IReadOnlyList<string>? FilterHosts, IReadOnlyList<string>? ExcludeHosts, FilterType Type)
{
    public static HostFilterSettings None { get; } = new(null, null, FilterType.Either);
}

/// <summary>
/// What a source reads from its validated configuration section; Config/ builds it (SectionSettings.Source),
/// so that Sources/ does not depend on the configuration's types.
/// </summary>
/// <param name="Name">The configuration section's name.</param>
/// <param name="Uri">The libvirt URI for a remote source, null for the local libvirt (unused by type=cbsd).</param>
/// <param name="HypervisorId">"uuid" or "hostname"; for a generic section any other value gives a null hypervisorId.</param>
public sealed record SourceSettings(
    string Name, string? Uri, string? Username, Secret? Password, string HypervisorId, HostFilterSettings Filter)
{
    public bool IsRemote => Uri is not null;
}
