using HvMonitor.Collector.Model;
using HvMonitor.Shared.Libvirt;

namespace HvMonitor.Collector.Backends.Libvirt;

/// <summary>
/// What the Linux backend asks libvirt, one method per answer: <see cref="LiveLibvirtSource"/> asks libvirt over a
/// read-only connection, <see cref="RecordingLibvirtSource"/> also writes each answer down (<c>--record</c>),
/// <see cref="ReplayLibvirtSource"/> answers from such a recording (<c>--replay</c>). Safe to call from several threads.
/// </summary>
public interface ILibvirtSource : IDisposable
{
    /// <summary>
    /// Every domain's stats record (one bulk call, the groups in <see cref="LibvirtBackend.StatsGroups"/>). Throws
    /// <see cref="BackendException"/> when libvirt cannot be reached or refuses: nothing can be reported then.
    /// </summary>
    IReadOnlyList<DomainStats> AllDomainStats();

    /// <summary>
    /// A domain listed by <see cref="AllDomainStats"/>: its stats record asked again, the same way (NOWAIT). Null when the
    /// domain is gone. Throws <see cref="LibvirtException"/>.
    /// </summary>
    DomainStats? DomainStatsAgain(string domain);

    /// <summary>A domain listed by <see cref="AllDomainStats"/>: its XML description (never a VNC password). Throws <see cref="LibvirtException"/>.</summary>
    string DomainXml(string domain);

    /// <summary>How many snapshots the domain has. Throws <see cref="LibvirtException"/>.</summary>
    ulong SnapshotCount(string domain);

    /// <summary>The bridge device of a libvirt network; null when it has none. Throws <see cref="LibvirtException"/>.</summary>
    string? NetworkBridge(string network);
}

/// <summary>
/// libvirt itself, in process: one connection, opened on first use. The stats come back as records, with no text in
/// between (rendering and re-reading 1000 domains' stats would cost ~30-50 ms and ~1 MiB for nothing); the per-domain
/// calls use the handles of the last stats call.
/// </summary>
public sealed class LiveLibvirtSource(string? uri) : ILibvirtSource
{
    private readonly Lock _lock = new();
    /// <summary>The exporter's long-lived connection, borrowed: used, never closed here.</summary>
    private readonly Func<LibvirtConnection>? _borrowed;

    /// <summary>A source over a connection the caller owns and keeps open (hv-monitor exporter).</summary>
    public LiveLibvirtSource(Func<LibvirtConnection> borrowed) : this((string?)null) => _borrowed = borrowed;

    /// <summary>
    /// Stats groups asked for beyond the collector's own: VCPU for the Prometheus outputs (vcpu.N.time/wait). It costs
    /// a QEMU monitor round trip per running domain, so the LibreNMS runs do not ask for it.
    /// </summary>
    public uint ExtraStatsGroups { get; init; }
    private LibvirtConnection? _conn;
    private DomainStatsList? _list;
    private Dictionary<string, DomainHandle> _handles = new(StringComparer.Ordinal);

    public IReadOnlyList<DomainStats> AllDomainStats()
    {
        DomainStatsList list;
        try
        {
            list = Connection().GetAllDomainStats(LibvirtBackend.StatsGroups | ExtraStatsGroups, Shared.Libvirt.Native.LibvirtNative.StatsNoWait);
        }
        catch (LibvirtException e)
        {
            throw new BackendException(ErrorCodes.BackendFailed, e.Message, e);
        }
        lock (_lock)
        {
            _list?.Dispose();
            _list = list;
            _handles = list.Items.GroupBy(i => i.Stats.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Domain, StringComparer.Ordinal);
        }
        return list.Items.Select(i => i.Stats).ToList();
    }

    public DomainStats? DomainStatsAgain(string domain) =>
        Connection().GetDomainStats(Handle(domain), domain, LibvirtBackend.StatsGroups | ExtraStatsGroups, Shared.Libvirt.Native.LibvirtNative.StatsNoWait);

    public string DomainXml(string domain) => Connection().GetXmlDescription(Handle(domain), domain);

    public ulong SnapshotCount(string domain) => (ulong)Connection().SnapshotCount(Handle(domain), domain);

    public string? NetworkBridge(string network) => Connection().NetworkBridge(network);

    private DomainHandle Handle(string name)
    {
        lock (_lock)
        {
            return _handles.TryGetValue(name, out var h) ? h : throw new LibvirtException($"domain '{name}' is not in the stats list");
        }
    }

    private LibvirtConnection Connection()
    {
        lock (_lock)
        {
            return _conn ??= _borrowed is not null ? _borrowed() : Open(uri);
        }
    }

    /// <summary>A missing client library is "unavailable" (as if virsh were not installed); libvirt saying no is "failed".</summary>
    internal static LibvirtConnection Open(string? uri)
    {
        try
        {
            return LibvirtConnection.OpenReadOnly(uri ?? LibvirtConnection.DefaultUri);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            var library = Environment.GetEnvironmentVariable(Shared.Libvirt.Native.LibvirtNative.LibraryOverrideVariable) is { Length: > 0 } p ? p : "libvirt.so.0";
            throw new BackendException(ErrorCodes.BackendUnavailable,
                $"{library} could not be loaded: install libvirt's client library (Debian/Ubuntu: apt-get install libvirt0; " +
                "RHEL/Fedora: dnf install libvirt-libs)", e);
        }
        catch (LibvirtException e)
        {
            throw new BackendException(ErrorCodes.BackendFailed, e.Message, e);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _list?.Dispose();
            _list = null;
            if (_borrowed is null)
                _conn?.Dispose();
            _conn = null;
        }
    }
}
