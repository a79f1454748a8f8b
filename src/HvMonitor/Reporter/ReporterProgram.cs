using HvMonitor.Reporter.Cli;
using HvMonitor.Reporter.Config;
using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Print;
using HvMonitor.Shared;

namespace HvMonitor.Reporter;

/// <summary>
/// <c>hv-monitor report …</c>: virt-who's command line (docs/virt-who-compatibility.md, "Command line", with D4), its configuration,
/// then print mode here, or one-shot / daemon / status in <see cref="SendModes"/>.
/// </summary>
public static class ReporterProgram
{
    /// <summary>EX_USAGE: the two bad flag combinations.</summary>
    public const int ExitBadCombination = 64;

    public const string StatusCombinationMessage = "You may not use the --print or --one-shot options with the --status option.";
    public const string JsonWithoutStatusMessage = "The --json option must only be used with the --status option.";

    /// <summary><paramref name="args"/> are the arguments after "report".</summary>
    /// <param name="timing">The daemon's waits: virt-who's unless an end-to-end test shortens them (Program reads the hook).</param>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Sending.ReporterTiming? timing = null)
    {
        ReportOptions options;
        try
        {
            options = ReportArgumentParser.Parse(args);
        }
        catch (ReportUsageException e)
        {
            stderr.WriteLine(e.EncryptPassword ? ReportHelpText.EncryptPasswordUsage : ReportHelpText.Usage);
            stderr.WriteLine($"hv-monitor report{(e.EncryptPassword ? " encrypt-password" : "")}: error: {Shared.Text.UriCredentials.MaskPasswords(e.Message)}");
            return ExitCodes.Usage;
        }
        switch (options.Action)
        {
            case ReportAction.Help:
                stdout.Write(ReportHelpText.Help);
                stdout.WriteLine();
                return ExitCodes.Ok;
            case ReportAction.EncryptPasswordHelp:
                stdout.Write(ReportHelpText.EncryptPasswordHelp);
                stdout.WriteLine();
                return ExitCodes.Ok;
            case ReportAction.Version:
                stdout.WriteLine("hv-monitor " + Shared.ProgramVersion.Text);
                return ExitCodes.Ok;
            case ReportAction.EncryptPassword:
                return EncryptPasswordCommand.Run(options, stdout, stderr, () => EncryptPasswordCommand.Prompt(stderr));
        }

        // --record/--replay are checked once, before anything runs, as the collector checks them: a directory the
        // command line got wrong (not empty, both flags) is a usage error like argparse's (exit 2); a disk that
        // fails is a plain failure (exit 1). A reload (SIGHUP) keeps recording into, or replaying from, the same one.
        Shared.Commands.RecordReplay probes;
        try
        {
            probes = Shared.Commands.RecordReplay.Open(options.RecordDirectory, options.ReplayDirectory);
        }
        catch (Shared.Commands.RecordReplayException e)
        {
            if (e.IsUsage)
                stderr.WriteLine(ReportHelpText.Usage);
            stderr.WriteLine($"hv-monitor report: error: {e.Message}");
            return e.IsUsage ? ExitCodes.Usage : ExitCodes.Failure;
        }

        var log = new TextWriterLog(stderr, LogLevel.Info);
        try
        {
            return RunConfigured(options, probes, stdout, log, timing ?? new Sending.ReporterTiming());
        }
        catch (Exception e)
        {
            // Exception messages in hv-monitor never carry a secret (Secret prints a mask); no stack trace either.
            log.Error($"Fatal error: {e.GetType().Name}: {e.Message}");
            Daemon.SystemdNotify.Status($"hv-monitor report failed: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static int RunConfigured(ReportOptions options, Shared.Commands.RecordReplay probes, TextWriter stdout, TextWriterLog log, Sending.ReporterTiming timing)
    {
        // Lines logged before [global] is read go out once its debug flag is known (docs/virt-who-compatibility.md, "Logging").
        var early = new MemoryLog();
        var paths = new ReporterPaths(options.Sysroot);
        var general = new ConfigurationLoader(paths, early).ReadGeneral(
            options.Interval is { } interval ? [new("interval", interval)] : null);
        var global = MergeCommandLine(general.Global, options, early);
        log.Minimum = global.Debug ? LogLevel.Debug : LogLevel.Info;
        foreach (var (level, message) in early.Lines)
            log.Write(level, message);

        // docs/virt-who-compatibility.md, D4: -s with -p is refused like -s with -o; both messages go to stderr.
        if (global.Status && (global.OneShot || global.Print))
        {
            log.Error(StatusCombinationMessage);
            return ExitBadCombination;
        }
        if (global.Json && !global.Status)
        {
            log.Error(JsonWithoutStatusMessage);
            return ExitBadCombination;
        }
        // docs/virt-who-compatibility.md, "Status mode (-s, -s -j)": status mode without -d writes nothing to stderr (its log goes to the log file).
        if (global.Status && !global.Debug)
            log.Minimum = LogLevel.Error + 1;

        // What is logged from here until the log file opens goes into the file too (SendModes), as in virt-who.
        var startup = new UntilTakenLog();
        foreach (var (level, message) in early.Lines)
            startup.Write(level, message);
        IReporterLog toStderrAndFile = new TeeLog(log, startup);

        ApplySystemEnvironment(general, toStderrAndFile);
        ReporterConfiguration configuration;
        try
        {
            configuration = new ConfigurationLoader(paths, toStderrAndFile) { CbsdCommands = () => probes.Commands(ReportSourceFactory.HostCommands) }.LoadSources(general, global);
        }
        catch (ConfigurationException e)
        {
            log.Error(e.Message);
            Daemon.SystemdNotify.Status(e.Message); // systemd shows why the unit failed, as virt-who's does
            return ExitCodes.Failure;
        }
        foreach (var section in configuration.Sections)
        {
            toStderrAndFile.Info($"Using config named '{section.Name}'");
            toStderrAndFile.Info($"Using configuration \"{section.Name}\" (\"{section.Settings.Type}\" mode)");
        }
        toStderrAndFile.Info($"Using reporter_id='{global.ReporterId}'");

        if (global.Print)
        {
            PrintMode.Run(configuration, stdout, log);
            return ExitCodes.Ok;
        }
        var mode = global.Status ? ReportMode.Status : global.OneShot ? ReportMode.OneShot : ReportMode.Daemon;
        return SendModes.Run(configuration, mode, stdout, log, timing, startup.Take());
    }

    /// <summary>
    /// docs/virt-who-compatibility.md, "Command line", precedence: [global], then each command-line flag that differs from its default (a flag cannot
    /// switch debug=true off). -p implies one-shot. -i is not merged here: it went into [global] before that
    /// was validated (<see cref="ConfigurationLoader.ReadGeneral"/>), as in virt-who.
    /// </summary>
    public static GlobalSettings MergeCommandLine(GlobalSettings global, ReportOptions options, IReporterLog log)
    {
        bool print = global.Print || options.Print;
        return global with
        {
            Debug = global.Debug || options.Debug,
            OneShot = global.OneShot || options.OneShot || print,
            Print = print,
            Status = global.Status || options.Status,
            Json = global.Json || options.Json,
            Configs = options.Configs.Count > 0 ? options.Configs : global.Configs,
        };
    }

    /// <summary>[system_environment]: each key (lower-cased by the INI reader) becomes an environment variable.</summary>
    private static void ApplySystemEnvironment(GeneralConfiguration general, IReporterLog log)
    {
        if (general.SystemEnvironment.Count == 0)
            return;
        foreach (var (key, value) in general.SystemEnvironment)
            Environment.SetEnvironmentVariable(key, value);
        log.Debug("Environment variables added from the [system_environment] section of the general configuration file: "
            + string.Join(", ", general.SystemEnvironment.Select(kv => kv.Key)));
    }
}
