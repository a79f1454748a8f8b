using HvMonitor.Shared.Libvirt;

namespace HvMonitor.Collector.Backends.Libvirt;

/// <summary>
/// TEST-ONLY (<see cref="Shared.TestHooks.StallAfterDomains"/>): <paramref name="inner"/>, except that after
/// <paramref name="domains"/> domains' XML the next one hangs until the run is cancelled at its deadline, as a libvirtd that
/// stops answering mid-run would. Never used unless the end-to-end tests set the hook.
/// </summary>
public sealed class StallingLibvirtSource(ILibvirtSource inner, int domains, CancellationToken cancellation) : ILibvirtSource
{
    private int _asked;

    /// <summary><paramref name="source"/> as the hooks want it: stalling when <see cref="Shared.TestHooks.StallAfterDomains"/>
    /// is set (only in the end-to-end tests), else itself. The one place the hook is applied, for the collector and the exporter.</summary>
    public static ILibvirtSource Apply(ILibvirtSource source, Shared.TestHooks hooks, CancellationToken deadline) =>
        hooks.StallAfterDomains is int domains ? new StallingLibvirtSource(source, domains, deadline) : source;

    public IReadOnlyList<DomainStats> AllDomainStats() => inner.AllDomainStats();

    /// <summary>The first call of each domain's work: where a stalled libvirtd would leave it waiting.</summary>
    public string DomainXml(string domain)
    {
        if (Interlocked.Increment(ref _asked) > domains)
        {
            cancellation.WaitHandle.WaitOne();
            cancellation.ThrowIfCancellationRequested();
        }
        return inner.DomainXml(domain);
    }

    public DomainStats? DomainStatsAgain(string domain) => inner.DomainStatsAgain(domain);

    public ulong SnapshotCount(string domain) => inner.SnapshotCount(domain);

    public string? NetworkBridge(string network) => inner.NetworkBridge(network);

    public void Dispose() => inner.Dispose();
}
