using HvMonitor.Collector.Model;
using HvMonitor.Collector.Procfs;
using HvMonitor.Shared.Commands;
using HvMonitor.Shared.Libvirt;
using HvMonitor.Shared.Text;
using static HvMonitor.Shared.Libvirt.Native.LibvirtNative;

namespace HvMonitor.Collector.Backends.Libvirt;

/// <summary>
/// Libvirt+QEMU on Linux: one bulk stats call for every domain, then per domain its XML and snapshot
/// count over the same read-only connection, and the QEMU process's numbers from /proc. No child processes.
/// Every call is a probe of <paramref name="probes"/> (<see cref="LibvirtProbes"/>, in process), so a host can be
/// recorded and replayed (<c>--record</c>, <c>--replay</c>) like a CBSD host.
/// </summary>
public sealed class LibvirtBackend(ICommandRunner probes, ProcReader proc) : IHypervisorBackend
{
    public const string HvName = "libvirt";

    /// <summary>Where libvirt's system QEMU driver writes each guest's pid (the name is kept as is).</summary>
    public const string QemuPidDirectory = "/run/libvirt/qemu";

    // vcpu and memory sizes come from the XML we read anyway: the VCPU group would cost a monitor
    // round trip per running domain for nothing we report.
    internal const uint StatsGroups = StatsState | StatsBalloon | StatsInterface | StatsBlock;

    /// <summary>libvirtd's default max_client_requests is 5 per client; stay under it.</summary>
    private const int ParallelDomainCalls = 4;

    /// <summary>In-process probes answer at once; the bound only matters for a recording's timeout line.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    public string Hv => HvName;

    public void Collect(CollectionSink sink, CancellationToken cancellation)
    {
        try
        {
            CollectAll(sink, cancellation);
        }
        finally
        {
            (probes as IDisposable)?.Dispose();
        }
    }

    private void CollectAll(CollectionSink sink, CancellationToken cancellation)
    {
        var list = AllDomainStats(cancellation);
        sink.Listed(list.Select(s => s.Name).ToArray());

        var bridges = new System.Collections.Concurrent.ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        string? BridgeOf(string network) => bridges.GetOrAdd(network, n => Text(LibvirtProbes.NetworkBridge(n), cancellation)?.Trim());

        // Per-domain calls are round trips to libvirtd, which serves several requests of one
        // connection at once: a few in flight hide the latency without loading the host.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ParallelDomainCalls, CancellationToken = cancellation };
        int done = 0, started = 0;
        int stallAfter = TestStallAfterDomains();
        Parallel.ForEach(list, parallel, stats =>
        {
            if (Interlocked.Increment(ref started) > stallAfter)
                StallUntilCancelled(cancellation);
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

    /// <summary>
    /// Every domain's stats record. Straight from libvirt when the probes are the live ones; otherwise (recording,
    /// replay) through the <c>virsh domstats --raw</c> text, so that a recorded run and its replay read the same text.
    /// </summary>
    private IReadOnlyList<DomainStats> AllDomainStats(CancellationToken cancellation)
    {
        if (probes is LibvirtProbes live)
        {
            try
            {
                return live.AllDomainStatsRecords();
            }
            catch (LibvirtException e)
            {
                throw new BackendException(ErrorCodes.BackendFailed, e.Message, e);
            }
        }
        var result = probes.Run(new CommandRequest(LibvirtProbes.DomStats, ProbeTimeout), cancellation);
        if (!result.Succeeded)
        {
            throw new BackendException(
                result.Outcome == CommandOutcome.NotStarted ? ErrorCodes.BackendUnavailable : ErrorCodes.BackendFailed,
                Utf8Text.Decode(result.Stderr, out _));
        }
        try
        {
            return DomstatsRawParser.Parse(Utf8Text.Decode(result.Stdout, out _));
        }
        catch (FormatException e)
        {
            throw new BackendException(ErrorCodes.BackendFailed, "the domain stats could not be read: " + e.Message, e);
        }
    }

    /// <summary>A probe's stdout, or null when it failed; a libvirt error is thrown with libvirt's message.</summary>
    private string? Text(string[] argv, CancellationToken cancellation, bool failureIsError = false)
    {
        if (probes is LibvirtProbes live)
        {
            try
            {
                return live.Answer(argv) ?? (failureIsError ? throw new LibvirtException($"'{PosixQuote.Join(argv)}' gave no answer") : null);
            }
            catch (LibvirtException) when (!failureIsError)
            {
                return null;
            }
        }
        var result = probes.Run(new CommandRequest(argv, ProbeTimeout), cancellation);
        if (result.Succeeded)
            return Utf8Text.Decode(result.Stdout, out _);
        if (failureIsError)
            throw new LibvirtException(Utf8Text.Decode(result.Stderr, out _) is { Length: > 0 } m ? m : result.DescribeFailure(new CommandRequest(argv, ProbeTimeout)));
        return null;
    }

    /// <summary>
    /// TEST-ONLY seam (tests/HvMonitor.IntegrationTests/DeadlineTests.cs): with HV_MONITOR_TEST_STALL_AFTER_DOMAINS=N
    /// the per-domain work hangs after N domains, as it would on a libvirtd that stops answering mid-run, so
    /// the deadline is hit with some domains collected. No timing trick can make that deterministic on a real
    /// daemon. Unset (always, outside the tests) it changes nothing.
    /// </summary>
    public const string TestStallVariable = "HV_MONITOR_TEST_STALL_AFTER_DOMAINS";

    private static int TestStallAfterDomains() =>
        int.TryParse(Environment.GetEnvironmentVariable(TestStallVariable), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;

    private static void StallUntilCancelled(CancellationToken cancellation)
    {
        cancellation.WaitHandle.WaitOne();
        cancellation.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Text libvirt gave us that was not valid UTF-8 was decoded with U+FFFD in place of the bad bytes. Looking for
    /// U+FFFD (rather than a flag from the decoder) gives the same warning live, recorded and replayed.
    /// </summary>
    private static bool HasReplacedText(DomainStats stats) =>
        stats.Name.Contains('\uFFFD') || stats.Values.Values.Any(v => v.Text?.Contains('\uFFFD') == true);

    internal static LibvirtConnection Open(string? uri)
    {
        try
        {
            return LibvirtConnection.OpenReadOnly(uri ?? LibvirtConnection.DefaultUri);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            var library = Environment.GetEnvironmentVariable(LibraryOverrideVariable) is { Length: > 0 } p ? p : "libvirt.so.0";
            throw new BackendException(ErrorCodes.BackendUnavailable,
                $"{library} could not be loaded: install libvirt's client library (Debian/Ubuntu: apt-get install libvirt0; " +
                "RHEL/Fedora: dnf install libvirt-libs)", e);
        }
        catch (LibvirtException e)
        {
            throw new BackendException(ErrorCodes.BackendFailed, e.Message, e);
        }
    }

    /// <summary>
    /// Whatever goes wrong with one domain, even a failure nobody foresaw, it is reported from its stats
    /// record with a warning, and the other domains are collected as usual. Only a replay that lacks a probe
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

    /// <summary>One domain: every probe that fails becomes a warning and the domain is still reported.</summary>
    private VmFacts CollectOne(DomainStats stats, CollectionSink sink, Func<string, string?> bridgeOf, CancellationToken cancellation)
    {
        string name = stats.Name;
        DomainConfig? config = null;
        try
        {
            var xml = Text(LibvirtProbes.DumpXml(name), cancellation, failureIsError: true)!;
            if (xml.Contains('\uFFFD'))
                sink.Warn($"domain '{name}': its XML from libvirt is not valid UTF-8; invalid bytes are reported as U+FFFD");
            config = DomainXmlParser.Parse(xml);
        }
        catch (Exception e) when (e is LibvirtException or FormatException)
        {
            sink.Warn($"domain '{name}': {e.Message}");
        }

        ulong snapshots = 0;
        try
        {
            var count = Text(LibvirtProbes.SnapshotCount(name), cancellation, failureIsError: true)!.Trim();
            snapshots = ulong.Parse(count, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
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

        return LibvirtFactsBuilder.Build(stats, config, snapshots, process, bridgeOf);
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
