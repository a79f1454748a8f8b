namespace HvMonitor.IntegrationTests.Reporter;

/// <summary>
/// What samples/cbsd-report/freebsd14 holds, read by hand from its two recordings (cbsd-bls-uuid.txt,
/// sysctl-host.txt), not from hv-monitor: the host's kern.hostuuid/hostname/osreldate, and per VM (in bls
/// order) the guest-visible UUID, virt-who's state and the "active" attribute. The derived UUIDs (VMs
/// without CBSD's uuid setting) were computed independently with Python's hashlib from bhyve's smbiostbl.c rule.
/// </summary>
public static class CbsdSample
{
    public static string Directory => Path.Combine(RepoPaths.Root, "samples", "cbsd-report", "freebsd14");

    public const string HostUuid = "2b8f0e4a-5e36-11ee-9c4b-0cc47a8b9d10"; // kern.hostuuid, lower-cased as virt-who sends ids
    public const string Hostname = "bsd1.example.com";
    public const long OsRelDate = 1402000;

    /// <summary>(guestId, state, active) in `cbsd bls` order; the error line CBSD printed into the table is no VM.</summary>
    public static readonly IReadOnlyList<(string GuestId, int State, int Active)> Guests =
    [
        ("4c4c4544-0034-4d10-8031-b8c04f4a4e32", 1, 1), // debian12: CBSD's uuid setting (bhyve -U), On
        ("b173c26f-369a-6e37-8b47-d7ea15f889e0", 1, 1), // alpine0, On
        ("1dd62977-b93d-5437-b278-b9bb245792c0", 1, 1), // busy1: Maintenance while bhyve runs (jid > 0)
        ("f01159b2-b35f-993a-b143-9a9e2f5cf39f", 0, 0), // maint2: Maintenance, stopped
        ("f3a857d1-876b-2a33-a8b3-68c13f04071a", 5, 0), // off1: Off
        ("e85c2207-6574-963a-9fef-36c3373a50a6", 0, 0), // slave0: Slave
        ("76f4f370-4133-fc32-924e-804f8a55f40e", 5, 0), // žluťoučký-kůň: Off
    ];
}
