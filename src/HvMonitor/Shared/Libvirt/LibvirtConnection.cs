using System.Runtime.InteropServices;
using HvMonitor.Shared.Libvirt.Native;
using HvMonitor.Shared.Text;
using static HvMonitor.Shared.Libvirt.Native.LibvirtNative;

namespace HvMonitor.Shared.Libvirt;

/// <summary>A domain inside a stats list; valid until the list is disposed.</summary>
public readonly record struct DomainHandle(IntPtr Pointer);

/// <summary>One domain of a stats list: its handle for further calls, and its stats.</summary>
public sealed record DomainRecord(DomainHandle Domain, DomainStats Stats)
{
    /// <summary>
    /// The name or a text stat (a disk name or path) was not valid UTF-8 and had invalid bytes replaced by
    /// U+FFFD (<see cref="Text.Utf8Text"/>): the caller should warn, naming the domain.
    /// </summary>
    public bool TextReplaced { get; init; }
}

/// <summary>The result of virConnectGetAllDomainStats: records plus the native list that owns them.</summary>
public sealed unsafe class DomainStatsList : IDisposable
{
    private DomainStatsRecord** _records;

    internal DomainStatsList(DomainStatsRecord** records, int count)
    {
        _records = records;
        var items = new DomainRecord[count];
        for (int i = 0; i < count; i++)
        {
            var record = records[i];
            // Names and text stats as valid UTF-8: one invalid byte would make LibreNMS reject the whole poll.
            var name = Utf8Text.FromNative(virDomainGetName(record->Domain), out bool nameReplaced) ?? "";
            var stats = ReadParams(record->Params, record->NParams, out bool statsReplaced);
            items[i] = new DomainRecord(new DomainHandle(record->Domain), new DomainStats(name, stats))
            {
                TextReplaced = nameReplaced || statsReplaced,
            };
        }
        Items = items;
    }

    public DomainRecord[] Items { get; }

    private static Dictionary<string, StatValue> ReadParams(TypedParameter* p, int n, out bool replaced)
    {
        replaced = false;
        var values = new Dictionary<string, StatValue>(n, StringComparer.Ordinal);
        for (int i = 0; i < n; i++, p++)
        {
            StatValue? value = p->Type switch
            {
                ParamInt => StatValue.OfSigned(p->I),
                ParamUInt => new StatValue(p->UI, null),
                ParamLLong => StatValue.OfSigned(p->L),
                ParamULLong => new StatValue(p->UL, null),
                ParamDouble => StatValue.OfReal(p->D),
                ParamBoolean => new StatValue(p->I != 0 ? 1UL : 0UL, null),
                ParamString => StatValue.OfText(TextOf(p->S, ref replaced)),
                _ => null,
            };
            if (value is { } v)
                values[StatKeys.Intern(p->Field)] = v;
        }
        return values;
    }

    private static string TextOf(IntPtr s, ref bool replaced)
    {
        var text = Utf8Text.FromNative(s, out bool r) ?? "";
        replaced |= r;
        return text;
    }

    public void Dispose()
    {
        if (_records is not null)
        {
            virDomainStatsRecordListFree(_records);
            _records = null;
        }
    }
}

/// <summary>
/// A read-only libvirt connection. Owns the native handle; every call that can fail throws a
/// <see cref="LibvirtException"/> carrying libvirt's own message. Shared by the collector and the reporter.
/// </summary>
public sealed unsafe partial class LibvirtConnection : IDisposable
{
    private IntPtr _conn;

    private LibvirtConnection(IntPtr conn, string uri)
    {
        _conn = conn;
        Uri = uri;
    }

    /// <summary>The URI asked for; with none (null), the one libvirt chose, as virConnectGetURI tells.</summary>
    public string Uri { get; }

    /// <summary>The URI for messages: a password written into it is masked (<see cref="Text.UriCredentials"/>).</summary>
    public string DisplayUri => Text.UriCredentials.MaskUri(Uri);

    /// <summary>The collector's URI when none is given: LIBVIRT_DEFAULT_URI, else the system QEMU driver.
    /// Resolved by the collector rather than by libvirt so an unprivileged user (snmpd) also monitors the
    /// system instance, not an empty per-user session. (The reporter passes null instead, as virt-who.)</summary>
    public static string DefaultUri =>
        Environment.GetEnvironmentVariable("LIBVIRT_DEFAULT_URI") is { Length: > 0 } env ? env : "qemu:///system";

    /// <summary>virConnectOpenReadOnly. A null <paramref name="uri"/> is passed to libvirt as NULL, so libvirt's
    /// own default applies (LIBVIRT_DEFAULT_URI, uri_default in libvirt.conf, then its probe of drivers).</summary>
    public static LibvirtConnection OpenReadOnly(string? uri)
    {
        SilenceErrorPrinting();
        var conn = virConnectOpenReadOnly(uri);
        if (conn == IntPtr.Zero)
            throw LibvirtException.CannotConnect(uri, LastError());
        return new LibvirtConnection(conn, uri ?? ChosenUri(conn));
    }

    internal static string Describe(string? uri) => uri is null ? "libvirt's default URI" : $"libvirt at '{uri}'";

    /// <summary>The URI libvirt connected to when it was given none.</summary>
    private static string ChosenUri(IntPtr conn)
    {
        var uri = virConnectGetURI(conn);
        return uri == IntPtr.Zero ? "" : TakeString(uri, out _);
    }

    /// <summary>libvirt prints every error on stderr by default; snmpd would merge that into our JSON.</summary>
    private static void SilenceErrorPrinting()
    {
        virSetErrorFunc(IntPtr.Zero, &IgnoreError);
    }

    [UnmanagedCallersOnly]
    private static void IgnoreError(IntPtr userData, IntPtr error)
    {
    }

    public static string LastError() =>
        Marshal.PtrToStringUTF8(virGetLastErrorMessage()) is { Length: > 0 } m ? m : "unknown libvirt error";

    public DomainStatsList GetAllDomainStats(uint statsGroups, uint flags)
    {
        int n = virConnectGetAllDomainStats(_conn, statsGroups, out var records, flags);
        if (n < 0)
            throw new LibvirtException(Text.UriCredentials.Redact($"listing domains at '{DisplayUri}' failed: {LastError()}", Uri));
        return new DomainStatsList(records, n);
    }

    /// <summary>One domain's stats record (virDomainListGetStats over that domain alone). Null when the domain is gone.</summary>
    public DomainStats? GetDomainStats(DomainHandle domain, string domainName, uint statsGroups, uint flags)
    {
        var domains = stackalloc IntPtr[2] { domain.Pointer, IntPtr.Zero };
        int n = virDomainListGetStats(domains, statsGroups, out var records, flags);
        if (n < 0)
            throw new LibvirtException($"reading the stats of domain '{domainName}' failed: {LastError()}");
        using var list = new DomainStatsList(records, n);
        return list.Items.Length == 0 ? null : list.Items[0].Stats;
    }

    public string GetXmlDescription(DomainHandle domain, string domainName) => GetXmlDescription(domain, domainName, out _);

    /// <summary>The domain's XML; <paramref name="replaced"/> tells that invalid UTF-8 in it was replaced by U+FFFD.</summary>
    public string GetXmlDescription(DomainHandle domain, string domainName, out bool replaced)
    {
        var xml = virDomainGetXMLDesc(domain.Pointer, 0);
        if (xml == IntPtr.Zero)
            throw new LibvirtException($"reading the XML of domain '{domainName}' failed: {LastError()}");
        return TakeString(xml, out replaced);
    }

    public int SnapshotCount(DomainHandle domain, string domainName)
    {
        int n = virDomainSnapshotNum(domain.Pointer, 0);
        if (n < 0)
            throw new LibvirtException($"counting the snapshots of domain '{domainName}' failed: {LastError()}");
        return n;
    }

    /// <summary>The bridge device of a libvirt network, or null if the network is unknown or has none.</summary>
    public string? NetworkBridge(string networkName)
    {
        var net = virNetworkLookupByName(_conn, networkName);
        if (net == IntPtr.Zero)
            return null;
        try
        {
            var bridge = virNetworkGetBridgeName(net);
            return bridge == IntPtr.Zero ? null : TakeString(bridge, out _);
        }
        finally
        {
            virNetworkFree(net);
        }
    }

    /// <summary>Copies a string libvirt allocated for us as valid UTF-8 (<see cref="Utf8Text"/>), then frees it.</summary>
    private static string TakeString(IntPtr s, out bool replaced)
    {
        try
        {
            return Utf8Text.FromNative(s, out replaced) ?? "";
        }
        finally
        {
            Shared.Platform.LibC.Free(s);
        }
    }

    public void Dispose()
    {
        if (_conn != IntPtr.Zero)
        {
            virConnectClose(_conn);
            _conn = IntPtr.Zero;
        }
    }
}

public sealed class LibvirtException(string message, string? libvirtMessage = null) : Exception(message)
{
    /// <summary>libvirt's own text (virGetLastErrorMessage), e.g. for the reporter's status, which shows it as virt-who does.</summary>
    public string LibvirtMessage => libvirtMessage ?? Message;

    /// <summary>A password written into the URI is masked in both texts (<see cref="Text.UriCredentials"/>).</summary>
    public static LibvirtException CannotConnect(string? uri, string libvirtMessage)
    {
        var shown = Text.UriCredentials.Redact(libvirtMessage, uri);
        return new(Text.UriCredentials.Redact($"cannot connect to {LibvirtConnection.Describe(uri)}: {shown}", uri), shown);
    }
}
