using System.Globalization;
using System.Text;
using HvMonitor.Shared.Commands;
using HvMonitor.Shared.Libvirt;

namespace HvMonitor.Collector.Backends.Libvirt;

/// <summary>
/// The libvirt API calls of the Linux backend, under readable pseudo-commands so that they are recorded and
/// replayed like CBSD's commands: the answers are what virsh would print for the same request.
/// <list type="bullet">
/// <item><c>virsh -r domstats --raw --state --balloon --interface --block --nowait</c>: the bulk stats, virsh's raw text;</item>
/// <item><c>virsh -r dumpxml NAME</c>: a domain's XML (read-only connection: never a VNC password);</item>
/// <item><c>libvirt snapshot-count NAME</c>: virDomainSnapshotNum, as a number;</item>
/// <item><c>libvirt network-bridge NETWORK</c>: the network's bridge device (exit 1 when it has none);</item>
/// <item><c>cat</c>, <c>ls</c>, <c>getconf</c>: /proc reads, answered by <see cref="Procfs.ProcFileRunner"/>.</item>
/// </list>
/// A libvirt error is exit 1 with libvirt's message on stderr; a missing libvirt library is "could not be started".
/// </summary>
public sealed class LibvirtProbes(string? uri) : ICommandRunner, IDisposable
{
    public static readonly string[] DomStats = ["virsh", "-r", "domstats", "--raw", "--state", "--balloon", "--interface", "--block", "--nowait"];

    public static string[] DumpXml(string domain) => ["virsh", "-r", "dumpxml", domain];
    public static string[] SnapshotCount(string domain) => ["libvirt", "snapshot-count", domain];
    public static string[] NetworkBridge(string network) => ["libvirt", "network-bridge", network];

    private readonly Procfs.ProcFileRunner _files = new();
    private readonly Lock _lock = new();
    private LibvirtConnection? _conn;
    private DomainStatsList? _list;
    private Dictionary<string, DomainHandle> _handles = new(StringComparer.Ordinal);
    /// <summary>The exporter's long-lived connection, borrowed: used, never closed here.</summary>
    private readonly Func<LibvirtConnection>? _borrowed;

    /// <summary>
    /// Stats groups asked for beyond the collector's own: VCPU for the Prometheus outputs (vcpu.N.time/wait). It costs
    /// a QEMU monitor round trip per running domain, so the LibreNMS runs do not ask for it. Live calls only.
    /// </summary>
    public uint ExtraStatsGroups { get; init; }

    /// <summary>Probes over a connection the caller owns and keeps open (hv-monitor exporter).</summary>
    public LibvirtProbes(Func<LibvirtConnection> borrowed) : this((string?)null) => _borrowed = borrowed;

    public CommandResult Run(CommandRequest request, CancellationToken cancellation)
    {
        if (request.Argv[0] is "cat" or "ls" or "getconf")
            return _files.Run(request, cancellation);
        try
        {
            return Answer(request.Argv) is { } text ? Ok(text) : CommandResult.Exited(1, [], []);
        }
        catch (LibvirtException e)
        {
            return CommandResult.Exited(1, [], Encoding.UTF8.GetBytes(e.Message));
        }
        catch (BackendException e)
        {
            // Opening the connection failed: the library is missing (as if virsh were not installed) or libvirt said no.
            var message = Encoding.UTF8.GetBytes(e.Message);
            return e.ErrorCode == Model.ErrorCodes.BackendUnavailable
                ? new CommandResult(CommandOutcome.NotStarted, -1, [], message)
                : CommandResult.Exited(1, [], message);
        }
    }

    /// <summary>
    /// A libvirt probe's answer as text (null: "none", e.g. a network without a bridge). The live path reads
    /// it directly, without the bytes a recording needs. Throws <see cref="LibvirtException"/> with libvirt's message.
    /// </summary>
    public string? Answer(IReadOnlyList<string> a)
    {
        if (a.SequenceEqual(DomStats))
            return AllDomainStats();
        if (a.Count == 4 && a[0] == "virsh" && a[2] == "dumpxml")
            return Connection().GetXmlDescription(Handle(a[3]), a[3]);
        if (a.Count == 3 && a[0] == "libvirt" && a[1] == "snapshot-count")
            return Connection().SnapshotCount(Handle(a[2]), a[2]).ToString(CultureInfo.InvariantCulture) + "\n";
        if (a.Count == 3 && a[0] == "libvirt" && a[1] == "network-bridge")
            return Connection().NetworkBridge(a[2]) is { } bridge ? bridge + "\n" : null;
        throw new ArgumentException($"not a libvirt probe: {PosixQuote.Join(a)}");
    }

    /// <summary>
    /// The bulk stats as records, without the text round trip: the live path when nothing is recorded (rendering
    /// and re-reading 1000 domains' stats would cost ~30-50 ms and ~1 MiB for nothing). Throws libvirt's error.
    /// </summary>
    public IReadOnlyList<DomainStats> AllDomainStatsRecords()
    {
        var list = Connection().GetAllDomainStats(LibvirtBackend.StatsGroups | ExtraStatsGroups, Shared.Libvirt.Native.LibvirtNative.StatsNoWait);
        lock (_lock)
        {
            _list?.Dispose();
            _list = list;
            _handles = list.Items.GroupBy(i => i.Stats.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Domain, StringComparer.Ordinal);
        }
        return list.Items.Select(i => i.Stats).ToList();
    }

    private string AllDomainStats() => DomstatsRawWriter.Write(AllDomainStatsRecords());

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
            return _conn ??= _borrowed is not null ? _borrowed() : LibvirtBackend.Open(uri);
        }
    }

    private static CommandResult Ok(string text) => CommandResult.Exited(0, Encoding.UTF8.GetBytes(text), []);

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
