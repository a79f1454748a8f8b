using System.Collections.Concurrent;
using HvMonitor.Collector.Facts;
using HvMonitor.Collector.Model;

namespace HvMonitor.Collector.Backends;

public enum BackendKind
{
    Libvirt,
    Cbsd,
}

/// <summary>A hypervisor backend: lists every VM and what it knows about each.</summary>
public interface IHypervisorBackend
{
    /// <summary>data.hv: "libvirt" or "CBSD".</summary>
    string Hv { get; }

    /// <summary>
    /// Collects every VM into <paramref name="sink"/> as soon as each is known, so that a run cut off by
    /// the deadline still reports what it had. Throws <see cref="BackendException"/> when the hypervisor
    /// cannot be queried at all; a problem with one VM is a warning, and that VM is kept.
    /// </summary>
    void Collect(CollectionSink sink, CancellationToken cancellation);
}

/// <summary>Where a backend puts VMs and warnings; safe to read from another thread after a time-out.</summary>
public sealed class CollectionSink
{
    private readonly ConcurrentQueue<VmFacts> _vms = new();
    private readonly ConcurrentQueue<string> _warnings = new();
    private volatile IReadOnlyList<string>? _listed;

    /// <summary>
    /// Every VM the hypervisor listed, told before the per-VM work starts, so that a run cut off by the
    /// deadline can name the VMs it did not get to.
    /// </summary>
    public void Listed(IReadOnlyList<string> names) => _listed = names;

    public void Add(VmFacts vm) => _vms.Enqueue(vm);
    /// <summary>A warning, bounded: one line, no quoted input longer than a couple of hundred characters.</summary>
    public void Warn(string message) => _warnings.Enqueue(Shared.Text.MessageText.Bound(message));

    public IReadOnlyList<VmFacts> Vms => _vms.ToArray();
    public IReadOnlyList<string> Warnings => _warnings.ToArray();

    /// <summary>The VMs the hypervisor listed; null until it answered.</summary>
    public IReadOnlyList<string>? ListedNames => _listed;
}

/// <summary>A failure of the whole backend, mapped to the envelope's error code and message.</summary>
public sealed class BackendException(int errorCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ErrorCode { get; } = errorCode;
}
