using HvMonitor.Collector.Backends.Cbsd;
using HvMonitor.Collector.Backends.Libvirt;
using HvMonitor.Collector.Model;
using HvMonitor.Collector.Procfs;
using HvMonitor.Shared;
using HvMonitor.Shared.Commands;

namespace HvMonitor.Collector.Backends;

/// <summary>What a backend needs to know of the run: where the hypervisor is and how its probes are answered.</summary>
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
    /// <summary>The Prometheus outputs also ask libvirt for per-vCPU times (docs/prometheus.md).</summary>
    public bool VcpuStats { get; init; }
    /// <summary>The end-to-end tests' hook; <see cref="TestHooks.None"/> outside them.</summary>
    public TestHooks TestHooks { get; init; } = TestHooks.None;
}

/// <summary>The explicit list of backends: no reflection, no plug-in scanning.</summary>
public static class BackendRegistry
{
    public static BackendKind DefaultForThisOs => OperatingSystem.IsFreeBSD() ? BackendKind.Cbsd : BackendKind.Libvirt;

    public static string HvName(BackendKind kind) => kind switch
    {
        BackendKind.Libvirt => LibvirtBackend.HvName,
        BackendKind.Cbsd => CbsdBackend.HvName,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The backend with its seams live, recording or replaying, as the settings say. Throws <see cref="BackendException"/>
    /// when --record or --replay cannot be used. <paramref name="cancellation"/> is the run's deadline.
    /// </summary>
    public static IHypervisorBackend Create(BackendKind kind, BackendSettings settings, CancellationToken cancellation = default)
    {
        var probes = OpenRecordReplay(settings);
        switch (kind)
        {
            case BackendKind.Libvirt:
                var live = new LiveLibvirtSource(settings.LibvirtUri)
                {
                    ExtraStatsGroups = settings.VcpuStats ? Shared.Libvirt.Native.LibvirtNative.StatsVcpu : 0,
                };
                ILibvirtSource libvirt = probes.Replay is { } replay ? new ReplayLibvirtSource(replay)
                    : probes.Recording is { } recording ? new RecordingLibvirtSource(live, recording)
                    : live;
                libvirt = StallingLibvirtSource.Apply(libvirt, settings.TestHooks, cancellation);
                return new LibvirtBackend(libvirt, new ProcReader(ProcFiles(settings.ProcRoot, probes)));
            case BackendKind.Cbsd:
                var locations = CommandLocations.FreeBsdDefaults;
                if (settings.CbsdPath is { Length: > 0 } cbsd)
                    locations = locations.With("cbsd", cbsd);
                return new CbsdBackend(probes.Commands(() => new ProcessCommandRunner(locations)), settings.CommandTimeout);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static IProcFileSystem ProcFiles(string root, RecordReplay probes) =>
        probes.Replay is { } replay ? new ReplayProcFileSystem(root, replay)
        : probes.Recording is { } recording ? new RecordingProcFileSystem(new LiveProcFileSystem(root), recording)
        : new LiveProcFileSystem(root);

    private static RecordReplay OpenRecordReplay(BackendSettings settings)
    {
        try
        {
            return RecordReplay.Open(settings.RecordDirectory, settings.ReplayDirectory);
        }
        catch (RecordReplayException e)
        {
            throw new BackendException(e.IsUsage ? ErrorCodes.Usage : ErrorCodes.BackendFailed, e.Message, e);
        }
    }
}
