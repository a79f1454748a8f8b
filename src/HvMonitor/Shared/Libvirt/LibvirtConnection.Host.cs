using System.Runtime.InteropServices;
using static HvMonitor.Shared.Libvirt.Native.LibvirtNative;

namespace HvMonitor.Shared.Libvirt;

/// <summary>A domain as the reporter sees it: its UUID (lower case) and virDomainState number.</summary>
public sealed record DomainIdentity(string Uuid, int State);

// The reporter's calls (docs/virt-who-compatibility.md, "Source: libvirt"): host facts, domains listed the way virt-who lists them, and a
// read-only connection that answers libvirt's credential prompts with a configured username/password.
public sealed unsafe partial class LibvirtConnection
{
    /// <summary>The credentials handed to <see cref="AnswerCredentials"/> through libvirt's cbdata pointer.</summary>
    private sealed record Credentials(string? Username, string Password);

    /// <summary>
    /// virConnectOpenAuth with VIR_CONNECT_RO: AUTHNAME is answered with <paramref name="username"/>,
    /// PASSPHRASE with <paramref name="password"/>, any other prompt fails. The password never appears in
    /// an exception message.
    /// </summary>
    public static LibvirtConnection OpenReadOnly(string? uri, string? username, string password)
    {
        SilenceErrorPrinting();
        var handle = GCHandle.Alloc(new Credentials(username, password));
        try
        {
            int* types = stackalloc int[] { CredAuthName, CredPassphrase };
            var auth = new ConnectAuth
            {
                CredTypes = types,
                NCredTypes = 2,
                Callback = &AnswerCredentials,
                CallbackData = GCHandle.ToIntPtr(handle),
            };
            var conn = virConnectOpenAuth(uri, &auth, ConnectReadOnly);
            if (conn == IntPtr.Zero)
                throw LibvirtException.CannotConnect(uri, LastError());
            return new LibvirtConnection(conn, uri ?? ChosenUri(conn));
        }
        finally
        {
            handle.Free();
        }
    }

    [UnmanagedCallersOnly]
    private static int AnswerCredentials(ConnectCredential* credentials, uint count, IntPtr data)
    {
        if (GCHandle.FromIntPtr(data).Target is not Credentials given)
            return -1;
        for (uint i = 0; i < count; i++)
        {
            var credential = &credentials[i];
            string? answer = credential->Type switch
            {
                CredAuthName => given.Username ?? "",
                CredPassphrase => given.Password,
                _ => null,
            };
            if (answer is null)
                return -1;
            // CoTaskMem is malloc on Unix, which is what libvirt frees the result with.
            credential->Result = Marshal.StringToCoTaskMemUTF8(answer);
            credential->ResultLength = (uint)System.Text.Encoding.UTF8.GetByteCount(answer);
        }
        return 0;
    }

    /// <summary>virConnectGetCapabilities: the host capabilities XML.</summary>
    public string GetCapabilities()
    {
        var xml = virConnectGetCapabilities(_conn);
        if (xml == IntPtr.Zero)
            throw new LibvirtException($"reading the capabilities of '{DisplayUri}' failed: {LastError()}");
        return TakeString(xml, out _);
    }

    /// <summary>virConnectGetHostname.</summary>
    public string GetHostname()
    {
        var name = virConnectGetHostname(_conn);
        if (name == IntPtr.Zero)
            throw new LibvirtException($"reading the host name of '{DisplayUri}' failed: {LastError()}");
        return TakeString(name, out _);
    }

    /// <summary>virConnectGetType, e.g. "QEMU".</summary>
    public string GetHypervisorType()
    {
        var type = virConnectGetType(_conn);
        if (type == IntPtr.Zero)
            throw new LibvirtException($"reading the hypervisor type of '{DisplayUri}' failed: {LastError()}");
        return Marshal.PtrToStringUTF8(type) ?? "";
    }

    /// <summary>virConnectGetVersion: major * 1,000,000 + minor * 1,000 + release, e.g. 7002022.</summary>
    public long GetHypervisorVersion()
    {
        if (virConnectGetVersion(_conn, out var version) < 0)
            throw new LibvirtException($"reading the hypervisor version of '{DisplayUri}' failed: {LastError()}");
        return (long)version;
    }

    /// <summary>virConnectGetLibVersion: the libvirt version of the daemon (remote) or library, encoded as above.</summary>
    public long GetLibVersion()
    {
        if (virConnectGetLibVersion(_conn, out var version) < 0)
            throw new LibvirtException($"reading the libvirt version of '{Uri}' failed: {LastError()}");
        return (long)version;
    }

    /// <summary>
    /// Every domain as virt-who lists them: running ones by ID (virConnectListDomains order), then defined
    /// ones (virConnectListDefinedDomains order), skipping the all-zero UUID (Xen's Domain-0). Which domains there
    /// are, with their UUIDs and states, comes from one virConnectGetAllDomainStats(STATE) call, a single snapshot,
    /// instead of virt-who's three calls per domain; the two lists only give the order. virt-who takes the set from
    /// the lists, each a count and then a fetch of that many: a domain started or defined between the two calls (or
    /// moving from one list to the other between them) pushes another, which may be any domain, out of the answer.
    /// Here such a domain is still reported, after the listed ones of its kind; a domain that vanished between the
    /// calls is skipped, as virt-who skips VIR_ERR_NO_DOMAIN.
    /// </summary>
    public IReadOnlyList<DomainIdentity> ListDomainsByIdThenDefined()
    {
        var ids = ListRunningIds();
        var names = ListDefinedNames();
        var running = new List<(uint Id, DomainIdentity Domain)>();
        var defined = new List<(string Name, DomainIdentity Domain)>();
        using (var stats = GetAllDomainStats(StatsState, 0))
        {
            byte* buffer = stackalloc byte[37];
            foreach (var record in stats.Items)
            {
                if (virDomainGetUUIDString(record.Domain.Pointer, buffer) < 0)
                    throw new LibvirtException($"reading the UUID of domain '{record.Stats.Name}' failed: {LastError()}");
                var uuid = Marshal.PtrToStringUTF8((IntPtr)buffer)!.ToLowerInvariant();
                if (uuid == ZeroUuid)
                    continue;
                var identity = new DomainIdentity(uuid, (int)(record.Stats.UInt64("state.state") ?? 0));
                uint id = virDomainGetID(record.Domain.Pointer);
                if (id != uint.MaxValue)
                    running.Add((id, identity));
                else
                    defined.Add((record.Stats.Name, identity));
            }
        }
        var idOrder = Positions(ids.Select(i => (uint)i));
        var nameOrder = Positions(names);
        return
        [
            .. running.OrderBy(d => idOrder.GetValueOrDefault(d.Id, int.MaxValue)).ThenBy(d => d.Id).Select(d => d.Domain),
            .. defined.OrderBy(d => nameOrder.GetValueOrDefault(d.Name, int.MaxValue)).ThenBy(d => d.Name, StringComparer.Ordinal).Select(d => d.Domain),
        ];
    }

    private static Dictionary<T, int> Positions<T>(IEnumerable<T> items) where T : notnull
    {
        var positions = new Dictionary<T, int>();
        foreach (var item in items)
            positions.TryAdd(item, positions.Count);
        return positions;
    }

    private const string ZeroUuid = "00000000-0000-0000-0000-000000000000";

    private int[] ListRunningIds()
    {
        int count = virConnectNumOfDomains(_conn);
        if (count < 0)
            throw new LibvirtException($"counting the running domains at '{DisplayUri}' failed: {LastError()}");
        var ids = new int[count];
        if (count == 0)
            return ids;
        int n;
        fixed (int* p = ids)
            n = virConnectListDomains(_conn, p, count);
        if (n < 0)
            throw new LibvirtException($"listing the running domains at '{DisplayUri}' failed: {LastError()}");
        return ids[..n];
    }

    private string[] ListDefinedNames()
    {
        int count = virConnectNumOfDefinedDomains(_conn);
        if (count < 0)
            throw new LibvirtException($"counting the defined domains at '{DisplayUri}' failed: {LastError()}");
        if (count == 0)
            return [];
        var pointers = new IntPtr[count];
        int n;
        fixed (IntPtr* p = pointers)
            n = virConnectListDefinedDomains(_conn, p, count);
        if (n < 0)
            throw new LibvirtException($"listing the defined domains at '{DisplayUri}' failed: {LastError()}");
        var names = new string[n];
        for (int i = 0; i < n; i++)
            names[i] = TakeString(pointers[i], out _);
        return names;
    }
}
