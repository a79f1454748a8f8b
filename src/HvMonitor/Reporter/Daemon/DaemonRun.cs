using System.Runtime.InteropServices;
using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Sending;
using HvMonitor.Shared.Platform;

namespace HvMonitor.Reporter.Daemon;

/// <summary>
/// The daemon (<c>report</c>, <c>report -i N</c>): PID file, systemd readiness, signals, and one
/// <see cref="DaemonGeneration"/> of loops at a time. SIGTERM stops it cleanly (exit 0, no request cut in
/// half, PID file removed); SIGHUP re-reads the configuration (docs/virt-who-compatibility.md, D6) and starts a new generation,
/// which re-sends everything; SIGINT exits 1.
/// </summary>
public static class DaemonRun
{
    /// <param name="reload">Re-reads the configuration files on SIGHUP; null when they no longer give a
    /// valid configuration (the running one is then kept and the error logged by the loader).</param>
    /// <param name="watchEvents">Starts a section's libvirt lifecycle watcher, or null for none.</param>
    /// <param name="stderr">Where the refusal of a second daemon goes, as a plain message.</param>
    public static int Run(IReadOnlyList<ReportSection> sections, ReporterRunOptions options, IReporterLog log, TextWriter stderr,
        Func<IReadOnlyList<ReportSection>?> reload, Func<ReportSection, Action, IDisposable?>? watchEvents = null)
    {
        using var pidFile = PidFile.TryCreate(options.Paths.PidFile, log, stderr);
        if (pidFile is null)
        {
            SystemdNotify.Status("hv-monitor report can't be started: it is already running");
            return 1;
        }
        using var stop = new CancellationTokenSource();
        using var hardStop = new CancellationTokenSource();
        int exitCode = 0;
        CancellationTokenSource? current = null;
        var gate = new Lock();
        bool reloadRequested = false;

        void Stop(int code)
        {
            exitCode = code;
            stop.Cancel();
            hardStop.CancelAfter(options.Timing.StopGrace);
        }
        // Started with a signal ignored (nohup, trap '' HUP), .NET would never call these handlers: it keeps a
        // signal ignored that is ignored when it is first registered. (SIGINT: Program.Main, before Console.)
        SignalDisposition.RestoreDefaultIfIgnored(SignalDisposition.SIGHUP);
        SignalDisposition.RestoreDefaultIfIgnored(SignalDisposition.SIGTERM);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; Stop(0); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; Stop(1); });
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c =>
        {
            c.Cancel = true;
            lock (gate)
            {
                if (reloadRequested)
                    return; // a second SIGHUP during the reload is ignored
                reloadRequested = true;
                current?.Cancel();
            }
        });

        SystemdNotify.Ready();
        var active = sections;
        while (!stop.IsCancellationRequested)
        {
            using var generationStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            lock (gate)
                current = generationStop;
            var generation = new DaemonGeneration(active, options, log, watchEvents);
            generation.Run(generationStop.Token, hardStop.Token);
            lock (gate)
                current = null;
            if (stop.IsCancellationRequested)
                break;
            log.Info("Reloading");
            SystemdNotify.Reloading();
            active = reload() ?? active;
            lock (gate)
                reloadRequested = false;
            SystemdNotify.Ready();
        }
        SystemdNotify.Stopping();
        log.Info("hv-monitor report stopped");
        return exitCode;
    }
}
