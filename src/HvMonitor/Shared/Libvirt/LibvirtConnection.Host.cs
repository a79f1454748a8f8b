using System.Runtime.InteropServices;
using static HvMonitor.Shared.Libvirt.Native.LibvirtNative;

namespace HvMonitor.Shared.Libvirt;

/// <summary>A domain as the reporter sees it: its UUID (lower case) and virDomainState number.</summary>
public sealed record DomainIdentity(string Uuid, int State);

// The reporter's calls (virt-who.md §3): host facts, domains listed the way virt-who lists them, and a
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
        uri ??= DefaultUri;
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
                throw new LibvirtException($"cannot connect to libvirt at '{uri}': {LastError()}");
            return new LibvirtConnection(conn, uri);
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
            throw new LibvirtException($"reading the capabilities of '{Uri}' failed: {LastError()}");
        return TakeString(xml);
    }

    /// <summary>virConnectGetHostname.</summary>
    public string GetHostname()
    {
        var name = virConnectGetHostname(_conn);
        if (name == IntPtr.Zero)
            throw new LibvirtException($"reading the host name of '{Uri}' failed: {LastError()}");
        return TakeString(name);
    }

    /// <summary>virConnectGetType, e.g. "QEMU".</summary>
    public string GetHypervisorType()
    {
        var type = virConnectGetType(_conn);
        if (type == IntPtr.Zero)
            throw new LibvirtException($"reading the hypervisor type of '{Uri}' failed: {LastError()}");
        return Marshal.PtrToStringUTF8(type) ?? "";
    }

    /// <summary>virConnectGetVersion: major * 1,000,000 + minor * 1,000 + release, e.g. 7002022.</summary>
    public long GetHypervisorVersion()
    {
        if (virConnectGetVersion(_conn, out var version) < 0)
            throw new LibvirtException($"reading the hypervisor version of '{Uri}' failed: {LastError()}");
        return (long)version;
    }

    /// <summary>
    /// Every domain as virt-who lists them: running ones by ID (virConnectListDomains order), then defined
    /// ones (virConnectListDefinedDomains order). A domain that vanishes in between is skipped, and so is
    /// the all-zero UUID (Xen's Domain-0).
    /// </summary>
    public IReadOnlyList<DomainIdentity> ListDomainsByIdThenDefined()
    {
        var result = new List<DomainIdentity>();
        int running = virConnectNumOfDomains(_conn);
        if (running < 0)
            throw new LibvirtException($"counting the running domains at '{Uri}' failed: {LastError()}");
        if (running > 0)
        {
            var ids = new int[running];
            int n;
            fixed (int* p = ids)
                n = virConnectListDomains(_conn, p, running);
            if (n < 0)
                throw new LibvirtException($"listing the running domains at '{Uri}' failed: {LastError()}");
            for (int i = 0; i < n; i++)
                AddDomain(result, virDomainLookupByID(_conn, ids[i]), $"ID {ids[i]}");
        }

        int defined = virConnectNumOfDefinedDomains(_conn);
        if (defined < 0)
            throw new LibvirtException($"counting the defined domains at '{Uri}' failed: {LastError()}");
        if (defined > 0)
        {
            var names = new IntPtr[defined];
            int n;
            fixed (IntPtr* p = names)
                n = virConnectListDefinedDomains(_conn, p, defined);
            if (n < 0)
                throw new LibvirtException($"listing the defined domains at '{Uri}' failed: {LastError()}");
            var decoded = new string[n];
            for (int i = 0; i < n; i++)
                decoded[i] = TakeString(names[i]);
            foreach (var name in decoded)
                AddDomain(result, virDomainLookupByName(_conn, name), $"'{name}'");
        }
        return result;
    }

    private static void AddDomain(List<DomainIdentity> result, IntPtr domain, string what)
    {
        if (domain == IntPtr.Zero)
        {
            if (virGetLastErrorCode() == ErrNoDomain)
                return;
            throw new LibvirtException($"looking up domain {what} failed: {LastError()}");
        }
        try
        {
            byte* buffer = stackalloc byte[37];
            if (virDomainGetUUIDString(domain, buffer) < 0)
                throw new LibvirtException($"reading the UUID of domain {what} failed: {LastError()}");
            var uuid = Marshal.PtrToStringUTF8((IntPtr)buffer)!.ToLowerInvariant();
            if (virDomainGetState(domain, out int state, out _, 0) < 0)
            {
                if (virGetLastErrorCode() == ErrNoDomain)
                    return;
                throw new LibvirtException($"reading the state of domain {what} failed: {LastError()}");
            }
            if (uuid == "00000000-0000-0000-0000-000000000000")
                return;
            result.Add(new DomainIdentity(uuid, state));
        }
        finally
        {
            virDomainFree(domain);
        }
    }
}
