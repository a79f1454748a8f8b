using HvMonitor.Collector.Facts;
using HvMonitor.Collector.Model;
using HvMonitor.Collector.Procfs;
using HvMonitor.Shared.Commands;
using HvMonitor.Shared.Libvirt;
using static HvMonitor.Shared.Libvirt.Native.LibvirtNative;

namespace HvMonitor.Collector.Backends.Libvirt;

/// <summary>
/// Libvirt+QEMU on Linux: one bulk stats call for every domain, then per domain its XML and snapshot
/// count over the same read-only connection, and the QEMU process's numbers from /proc. No child processes.
/// Both seams (<paramref name="libvirt"/>, the /proc files under <paramref name="proc"/>) come live, recording or
/// replaying, so a host can be recorded and replayed (<c>--record</c>, <c>--replay</c>) like a CBSD host.
/// </summary>
public sealed class LibvirtBackend(ILibvirtSource libvirt, ProcReader proc) : IHypervisorBackend
{
    public const string HvName = "libvirt";

    /// <summary>Where libvirt's system QEMU driver writes each guest's pid (the name is kept as is).</summary>
    public const string QemuPidDirectory = "/run/libvirt/qemu";

    // vcpu and memory sizes come from the XML we read anyway: the VCPU group would cost a monitor
    // round trip per running domain for nothing we report.
    internal const uint StatsGroups = StatsState | StatsBalloon | StatsInterface | StatsBlock;

    /// <summary>libvirtd's default max_client_requests is 5 per client; stay under it.</summary>
    private const int ParallelDomainCalls = 4;

    public string Hv => HvName;

    public void Collect(CollectionSink sink, CancellationToken cancellation)
    {
        try
        {
            CollectAll(sink, cancellation);
        }
        finally
        {
            libvirt.Dispose();
        }
    }

    private void CollectAll(CollectionSink sink, CancellationToken cancellation)
    {
        var list = libvirt.AllDomainStats();
        sink.Listed(list.Select(s => s.Name).ToArray());

        var bridges = new System.Collections.Concurrent.ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        string? BridgeOf(string network) => bridges.GetOrAdd(network, BridgeOrNone);

        // Per-domain calls are round trips to libvirtd, which serves several requests of one
        // connection at once: a few in flight hide the latency without loading the host.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ParallelDomainCalls, CancellationToken = cancellation };
        int done = 0;
        Parallel.ForEach(list, parallel, stats =>
        {
            sink.Add(CollectOneSafely(stats, sink, BridgeOf, cancellation));
            // Parsing each domain's XML leaves ~15 KiB of garbage, and the runtime sizes its first
            // generation from the CPU cache (tens of MiB), so a big host's garbage would all be
            // resident at once before the first collection. A young-generation collection every
            // 128 domains costs well under a millisecond and keeps peak memory ~13 MiB lower at
            // 1000 domains (docs/performance.md).
            if (Interlocked.Increment(ref done) % 128 == 0)
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        });
    }

    /// <summary>A network without a bridge, or one libvirt cannot tell about, leaves the interface's parent empty.</summary>
    private string? BridgeOrNone(string network)
    {
        try
        {
            return libvirt.NetworkBridge(network);
        }
        catch (LibvirtException)
        {
            return null;
        }
    }

    /// <summary>
    /// Text libvirt gave us that was not valid UTF-8 was decoded with U+FFFD in place of the bad bytes. Looking for
    /// U+FFFD (rather than a flag from the decoder) gives the same warning live, recorded and replayed.
    /// </summary>
    private static bool HasReplacedText(DomainStats stats) =>
        stats.Name.Contains('\uFFFD') || stats.Values.Values.Any(v => v.Text?.Contains('\uFFFD') == true);

    /// <summary>
    /// Whatever goes wrong with one domain, even a failure nobody foresaw, it is reported from its stats
    /// record with a warning, and the other domains are collected as usual. Only a replay that lacks an answer
    /// stops the run: the recording does not match this program.
    /// </summary>
    private VmFacts CollectOneSafely(DomainStats stats, CollectionSink sink, Func<string, string?> bridgeOf, CancellationToken cancellation)
    {
        if (HasReplacedText(stats))
            sink.Warn($"domain '{stats.Name}': its name or a disk name or path from libvirt is not valid UTF-8; invalid bytes are reported as U+FFFD");
        try
        {
            return CollectOne(stats, sink, bridgeOf, cancellation);
        }
        catch (Exception e) when (e is not (OperationCanceledException or ReplayMissingException))
        {
            sink.Warn($"domain '{stats.Name}': collecting it failed: {e.GetType().Name}: {e.Message}");
            return LibvirtFactsBuilder.Build(stats, null, 0, null, _ => null);
        }
    }

    /// <summary>One domain: every call that fails becomes a warning and the domain is still reported.</summary>
    private VmFacts CollectOne(DomainStats stats, CollectionSink sink, Func<string, string?> bridgeOf, CancellationToken cancellation)
    {
        string name = stats.Name;
        DomainConfig? config = null;
        try
        {
            var xml = libvirt.DomainXml(name);
            if (xml.Contains('\uFFFD'))
                sink.Warn($"domain '{name}': its XML from libvirt is not valid UTF-8; invalid bytes are reported as U+FFFD");
            config = DomainXmlParser.Parse(xml);
        }
        catch (Exception e) when (e is LibvirtException or FormatException)
        {
            sink.Warn($"domain '{name}': {e.Message}");
        }

        bool disksKnown = true;
        if (HasQemuProcess(stats, config) && LibvirtFactsBuilder.LacksMonitorFigures(stats))
            stats = AskAgain(stats, config, sink, cancellation, out disksKnown);

        ulong snapshots = 0;
        try
        {
            snapshots = libvirt.SnapshotCount(name);
        }
        catch (Exception e) when (e is LibvirtException or FormatException)
        {
            sink.Warn($"domain '{name}': {e.Message}");
        }

        ProcessStats? process = null;
        if (HasQemuProcess(stats, config))
        {
            try
            {
                var pid = proc.FindQemuPid(name, Path.Combine(QemuPidDirectory, name + ".pid"));
                if (pid is int p)
                    process = proc.ReadProcessStats(p);
                else
                    sink.Warn($"domain '{name}': its QEMU process was not found under {proc.ProcRoot}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ProcParseException)
            {
                sink.Warn($"domain '{name}': reading its QEMU process failed: {e.Message}");
            }
        }

        return LibvirtFactsBuilder.Build(stats, config, snapshots, process, bridgeOf, disksKnown);
    }

    /// <summary>Pauses before each new ask (1.55 s in all): another client's query holds a domain's job for milliseconds.</summary>
    private static readonly int[] AskAgainDelaysMs = [50, 100, 200, 400, 800];

    /// <summary>
    /// The bulk call made this running domain's record without its job (<see cref="LibvirtFactsBuilder.LacksMonitorFigures"/>):
    /// another client (virsh, virt-manager, a backup) held it at that instant. Zeros in its place would read as every
    /// disk emptied and every counter reset for one poll, so the domain is asked again a few times, still never
    /// waiting on the job inside libvirt: a QEMU that does not answer its monitor keeps its job for as long as it
    /// hangs, and libvirt's own wait (30 s) would hold this run, and every exporter scrape behind it. Still without
    /// the figures, the disks are left out of this run with a warning.
    /// </summary>
    private DomainStats AskAgain(DomainStats stats, DomainConfig? config, CollectionSink sink, CancellationToken cancellation, out bool disksKnown)
    {
        disksKnown = true;
        foreach (int delay in AskAgainDelaysMs)
        {
            if (cancellation.WaitHandle.WaitOne(delay))
                break;
            DomainStats? again;
            try
            {
                again = libvirt.DomainStatsAgain(stats.Name);
            }
            catch (Exception e) when (e is LibvirtException or FormatException)
            {
                sink.Warn($"domain '{stats.Name}': {e.Message}");
                break;
            }
            // Gone meanwhile: nothing newer to report, and the disks stay unknown.
            if (again is null)
                break;
            // Complete now, or stopped meanwhile (an inactive domain has no monitor figures to wait for).
            if (!LibvirtFactsBuilder.LacksMonitorFigures(again) || !HasQemuProcess(again, config))
                return again;
        }
        sink.Warn($"domain '{stats.Name}': libvirt gave no disk sizes or counters for it (another job kept the domain busy, " +
            "or QEMU is not answering); its disks are left out of this run");
        disksKnown = false;
        return stats;
    }

    /// <summary>Only QEMU/KVM domains that are active have a process (the test driver's never do).</summary>
    private static bool HasQemuProcess(DomainStats stats, DomainConfig? config)
    {
        if (config is null || config.Type is not ("kvm" or "qemu"))
            return false;
        var state = (VmState)(int)(stats.UInt64("state.state") ?? 0);
        return state is VmState.Running or VmState.Blocked or VmState.Paused or VmState.Shutdown or VmState.PmSuspended;
    }
}
