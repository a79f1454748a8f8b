using System.Diagnostics;
using System.Globalization;
using HvMonitor.Collector.App;
using HvMonitor.Collector.Backends;
using HvMonitor.Collector.Backends.Libvirt;
using HvMonitor.Collector.Output.Prometheus;
using HvMonitor.Shared.Libvirt;

namespace HvMonitor.Exporter;

/// <summary>One scrape's answer: the collection, and the libvirt versions when they are known.</summary>
public sealed record Scrape(PrometheusCollection Collection, LibvirtVersions? Versions, string? Problem);

public sealed record LibvirtVersions(string Libvirt, string HypervisorType, string Hypervisor);

/// <summary>
/// The exporter's collections. Scrapes that overlap share one collection; each collection runs under the
/// collector's deadline (<see cref="CollectionRun"/>: on its own thread, so a hung libvirt call cannot hold a
/// scrape). A collection still stuck in libvirt after its deadline keeps its thread: until it returns, scrapes
/// answer at once that the hypervisor is not responding instead of piling more threads onto the hung daemon.
/// For libvirt, one read-only connection is kept between scrapes, reopened when a collection over it fails
/// (libvirtd restarted) and then tried once more within the same deadline.
/// </summary>
public sealed class SharedCollection(ExporterOptions options, Action<string> log) : IDisposable
{
    private readonly Lock _lock = new();
    /// <summary>Guards the connection; separate from <see cref="_lock"/>, since opening it can hang on a stopped libvirtd.</summary>
    private readonly Lock _connectionLock = new();
    private Task<Scrape>? _running;
    private int _busyWorkers;
    private LibvirtConnection? _connection;
    private volatile LibvirtVersions? _versions;
    private long _collections, _connects;

    public long Collections => Interlocked.Read(ref _collections);
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>The collection in progress, or a new one.</summary>
    public Task<Scrape> Get()
    {
        lock (_lock)
        {
            if (_running is null || _running.IsCompleted)
                _running = Task.Run(CollectOnce);
            return _running;
        }
    }

    private Scrape CollectOnce()
    {
        var clock = Stopwatch.StartNew();
        string hv = BackendRegistry.HvName(options.Backend);
        if (Volatile.Read(ref _busyWorkers) > 0)
        {
            // The previous collection's thread is still inside libvirt (or a CBSD command): do not add another.
            const string stuck = "the previous collection is still waiting for the hypervisor (is it responding?)";
            return new Scrape(new PrometheusCollection(hv, [], null, [stuck], Up: false, Complete: false, clock.Elapsed.TotalSeconds), null, stuck);
        }
        Interlocked.Increment(ref _collections);
        var result = Run(options.Timeout);
        if (result.Envelope.Error != Collector.Model.ErrorCodes.None && UsesConnection && clock.Elapsed < options.Timeout / 2
            && Volatile.Read(ref _busyWorkers) == 0)
        {
            // The kept connection may be dead (libvirtd restarted): a fresh one, once, with the time that is left.
            DropConnection();
            result = Run(options.Timeout - clock.Elapsed);
        }
        if (result.Envelope.Error != Collector.Model.ErrorCodes.None)
            log("collection failed: " + result.Envelope.ErrorString);
        var collection = PrometheusCollection.From(result, clock.Elapsed);
        return new Scrape(collection, result.Envelope.Error == Collector.Model.ErrorCodes.None ? _versions : null,
            result.Envelope.Error == Collector.Model.ErrorCodes.None ? null : result.Envelope.ErrorString);
    }

    private bool UsesConnection => options.Backend == BackendKind.Libvirt && options.ReplayDirectory is null;

    private CollectionResult Run(TimeSpan timeout) =>
        CollectionRun.Run(options.Backend, deadline => new TrackedBackend(CreateBackend(deadline), this), timeout);

    private IHypervisorBackend CreateBackend(CancellationToken deadline)
    {
        if (!UsesConnection)
            return BackendRegistry.Create(options.Backend, options.Settings, deadline);
        var live = new LiveLibvirtSource(Connection) { ExtraStatsGroups = Shared.Libvirt.Native.LibvirtNative.StatsVcpu };
        var source = StallingLibvirtSource.Apply(live, options.Settings.TestHooks, deadline);
        return new LibvirtBackend(source, new Collector.Procfs.ProcReader(new Collector.Procfs.LiveProcFileSystem(options.Settings.ProcRoot)));
    }

    /// <summary>The kept connection, opened on first use (throws <see cref="BackendException"/> like the collector).</summary>
    private LibvirtConnection Connection()
    {
        lock (_connectionLock)
        {
            if (_connection is null)
            {
                _connection = LiveLibvirtSource.Open(options.Settings.LibvirtUri);
                Interlocked.Increment(ref _connects);
                _versions = null;
            }
            return _connection;
        }
    }

    /// <summary>Read once per connection, on the collection thread (the calls can hang like any other).</summary>
    private void ReadVersions()
    {
        if (!UsesConnection)
            return;
        lock (_connectionLock)
        {
            if (_versions is not null || _connection is null)
                return;
            try
            {
                _versions = new LibvirtVersions(Dotted(_connection.GetLibVersion()), _connection.GetHypervisorType(), Dotted(_connection.GetHypervisorVersion()));
            }
            catch (LibvirtException e)
            {
                log("reading the libvirt and hypervisor versions failed: " + e.Message);
            }
        }
    }

    /// <summary>libvirt's major * 1,000,000 + minor * 1,000 + release as "major.minor.release".</summary>
    internal static string Dotted(long v) => string.Create(CultureInfo.InvariantCulture, $"{v / 1_000_000}.{v / 1000 % 1000}.{v % 1000}");

    /// <summary>Closes the kept connection; only called while no collection thread uses it.</summary>
    private void DropConnection()
    {
        lock (_connectionLock)
        {
            _connection?.Dispose();
            _connection = null;
            _versions = null;
        }
    }

    public void Dispose()
    {
        if (Volatile.Read(ref _busyWorkers) == 0)
            DropConnection();
    }

    /// <summary>Counts the collection threads that are inside the backend, hung ones included.</summary>
    private sealed class TrackedBackend(IHypervisorBackend inner, SharedCollection owner) : IHypervisorBackend
    {
        public string Hv => inner.Hv;

        public void Collect(CollectionSink sink, CancellationToken cancellation)
        {
            Interlocked.Increment(ref owner._busyWorkers);
            try
            {
                inner.Collect(sink, cancellation);
                owner.ReadVersions();
            }
            finally
            {
                Interlocked.Decrement(ref owner._busyWorkers);
            }
        }
    }
}
