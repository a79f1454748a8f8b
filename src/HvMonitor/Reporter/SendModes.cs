using HvMonitor.Reporter.Config;
using HvMonitor.Reporter.Daemon;
using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Sending;
using HvMonitor.Reporter.Status;
using HvMonitor.Shared.Libvirt;

namespace HvMonitor.Reporter;

/// <summary>The modes that contact a destination.</summary>
public enum ReportMode { OneShot, Daemon, Status }

/// <summary>
/// The modes that contact Candlepin, after <see cref="ReporterProgram"/> checked the command line and the
/// configuration: -s/-s -j (Status/), -o (Sending/), else the daemon (Daemon/). Adds the log file
/// (log_dir/log_file) to the given stderr log; status without -d logs only to the file.
/// </summary>
public static class SendModes
{
    /// <param name="timing">virt-who's waits; shorter only in end-to-end tests (<see cref="Shared.TestHooks"/>, read by Program).</param>
    /// <param name="startup">what was logged (to stderr) before the log file opened: written into the file first.</param>
    public static int Run(ReporterConfiguration configuration, ReportMode mode, TextWriter stdout, IReporterLog stderrLog, ReporterTiming timing,
        IReadOnlyList<(LogLevel Level, string Message)> startup)
    {
        var global = configuration.Global;
        var minimum = global.Debug ? LogLevel.Debug : LogLevel.Info;
        using var file = new ReporterLogFiles(global.LogDir, global.LogFile, global.LogPerConfig, minimum, stderrLog, configuration.Paths.Under);
        foreach (var (level, message) in startup)
            file.Write(level, message);
        IReporterLog log = mode == ReportMode.Status && !global.Debug ? file : new TeeLog(stderrLog, file);
        var options = new ReporterRunOptions(TimeSpan.FromSeconds(global.Interval), global.ReporterId, configuration.Paths, timing);
        var sections = Sections(configuration);
        if (mode == ReportMode.Status)
            return StatusRun.Run(sections, global.Json, options, stdout, log);
        if (mode == ReportMode.OneShot)
            return OneShotRun.RunAsync(sections, options, log, CancellationToken.None).GetAwaiter().GetResult();
        return DaemonRun.Run(sections, options, log, Console.Error, () => Reload(configuration, log), LibvirtEventWatcher.Factory(log, options.Timing));
    }

    private static IReadOnlyList<ReportSection> Sections(ReporterConfiguration configuration) =>
        configuration.Sections.Select(s => new ReportSection(s.Source, s.Destination, Events(s.Settings))).ToList();

    /// <summary>libvirt sections get lifecycle events over their own connection, with the section's credentials.</summary>
    private static LibvirtEventSource? Events(SectionSettings settings) =>
        settings.Type == SectionValidator.LibvirtType
            ? new LibvirtEventSource(settings.Uri, settings.Username, settings.Password)
            : null;

    /// <summary>D6 (docs/virt-who-compatibility.md): SIGHUP re-reads the configuration files; [global] and the command line stay as started.</summary>
    private static IReadOnlyList<ReportSection>? Reload(ReporterConfiguration started, IReporterLog log)
    {
        try
        {
            var reread = new ConfigurationLoader(started.Paths, log) { CbsdCommands = started.CbsdCommands }.Load(_ => started.Global);
            return Sections(reread);
        }
        catch (ConfigurationException e)
        {
            log.Error($"{e.Message}; keeping the configuration in use");
            return null;
        }
    }
}
