namespace HvMonitor.Reporter.Sources;

// The reporter's one model: what a source found, as virt-who sends it (docs/virt-who-compatibility.md:
// "Source: libvirt", "Print mode (-p)", "Candlepin requests"). Sources produce it; print mode, the Candlepin client and the daemon's change detection
// consume it. Immutable, so the daemon can pass reports between loops without copying.

/// <summary>One guest: JSON <c>{"guestId": …, "state": …, "attributes": {"virtWhoType": …, "active": 0|1}}</c>.</summary>
/// <param name="GuestId">The UUID the guest sees (lower case for libvirt).</param>
/// <param name="State">virt-who's state number (libvirt's: 1 running, 3 paused, 5 shut off …).</param>
/// <param name="VirtWhoType">"libvirt", or "cbsd" for our own FreeBSD source.</param>
public sealed record Guest(string GuestId, int State, bool Active, string VirtWhoType);

/// <summary>One hypervisor fact, in the order virt-who writes them: a string, an integer or null.</summary>
public sealed record Fact(string Key, string? Text, long? Number = null);

/// <summary>A hypervisor of a remote (host/guest) report.</summary>
/// <param name="HypervisorId">The uuid or hostname chosen by hypervisor_id; may be null (virt-who prints null).</param>
/// <param name="Name">The host name; omitted from JSON when null or empty.</param>
/// <param name="Facts">Omitted from JSON when empty.</param>
public sealed record Hypervisor(string? HypervisorId, string? Name, IReadOnlyList<Guest> Guests, IReadOnlyList<Fact> Facts);

/// <summary>What one configuration section's source produced in one collection.</summary>
public abstract record SourceReport(string ConfigName, DateTimeOffset CreatedUtc);

/// <summary>A remote source's report (libvirt with <c>server</c>, cbsd): hypervisors with their guests, filtered.</summary>
public sealed record HostGuestReport(string ConfigName, DateTimeOffset CreatedUtc, IReadOnlyList<Hypervisor> Hypervisors)
    : SourceReport(ConfigName, CreatedUtc);

/// <summary>A local source's report (libvirt without <c>server</c>): this host's guests, sent as a consumer update.</summary>
/// <param name="HypervisorId">This host's uuid or hostname (hypervisor_id).</param>
public sealed record DomainListReport(string ConfigName, DateTimeOffset CreatedUtc, string? HypervisorId, IReadOnlyList<Guest> Guests)
    : SourceReport(ConfigName, CreatedUtc);
