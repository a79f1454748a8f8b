using System.Collections.Concurrent;
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

public sealed record BackendSettings(string? LibvirtUri, string ProcRoot)
{
    /// <summary>Where CBSD is (default /usr/local/bin/cbsd).</summary>
    public string? CbsdPath { get; init; }
    /// <summary>How long one external command may run before it is killed.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>--record: also write every probe's answer into this directory.</summary>
    public string? RecordDirectory { get; init; }
    /// <summary>--replay: answer every probe from this recording instead of the host.</summary>
    public string? ReplayDirectory { get; init; }

    public static BackendSettings From(Cli.CliOptions options) => new(options.Uri, options.ProcRoot)
    {
        CbsdPath = options.CbsdPath,
        // Half the run's budget: one hanging command (a suspended ZFS pool) is killed with time left for the rest.
        CommandTimeout = options.Timeout / 2,
        RecordDirectory = options.RecordDirectory,
        ReplayDirectory = options.ReplayDirectory,
    };
}

/// <summary>The explicit list of backends: no reflection, no plug-in scanning.</summary>
public static class BackendRegistry
{
    public static BackendKind DefaultForThisOs => OperatingSystem.IsFreeBSD() ? BackendKind.Cbsd : BackendKind.Libvirt;

    public static string HvName(BackendKind kind) => kind switch
    {
        BackendKind.Libvirt => Libvirt.LibvirtBackend.HvName,
        BackendKind.Cbsd => Cbsd.CbsdBackend.HvName,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static IHypervisorBackend Create(BackendKind kind, BackendSettings settings)
    {
        switch (kind)
        {
            case BackendKind.Libvirt:
                var probes = Probes(settings, () => new Libvirt.LibvirtProbes(settings.LibvirtUri));
                return new Libvirt.LibvirtBackend(probes, new Procfs.ProcReader(settings.ProcRoot, probes));
            case BackendKind.Cbsd:
                var locations = Shared.Commands.CommandLocations.FreeBsdDefaults;
                if (settings.CbsdPath is { Length: > 0 } cbsd)
                    locations = locations.With("cbsd", cbsd);
                return new Cbsd.CbsdBackend(Probes(settings, () => new Shared.Commands.ProcessCommandRunner(locations)), settings.CommandTimeout);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>The host itself, the host while recording it, or a recording in its place.</summary>
    private static Shared.Commands.ICommandRunner Probes(BackendSettings settings, Func<Shared.Commands.ICommandRunner> host)
    {
        if (settings.ReplayDirectory is { } replay)
        {
            try
            {
                return new Shared.Commands.ReplayCommandRunner(replay);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BackendException(ErrorCodes.BackendFailed, $"cannot replay '{replay}': {e.Message}", e);
            }
        }
        if (settings.RecordDirectory is not { } record)
            return host();
        // An old recording's files would mix with this run's answers: start from an empty directory.
        try
        {
            Directory.CreateDirectory(record);
            if (Directory.EnumerateFileSystemEntries(record).Any())
                throw new BackendException(ErrorCodes.Usage, $"--record {record}: the directory is not empty; give a new or empty one");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackendException(ErrorCodes.BackendFailed, $"cannot record into '{record}': {e.Message}", e);
        }
        return new Shared.Commands.RecordingCommandRunner(host(), record);
    }
}
