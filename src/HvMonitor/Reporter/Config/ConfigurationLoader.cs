using HvMonitor.Reporter.Logging;

namespace HvMonitor.Reporter.Config;

/// <summary>
/// virt-who's configuration files (docs/virt-who-compatibility.md, "Configuration files"): /etc/virt-who.conf, /etc/virt-who.d/*.conf or the
/// -c/configs files, all under <see cref="ReporterPaths"/>; each section merged over [defaults], validated,
/// logged as <c>[name]: message</c>, and dropped on an error. Two steps, because the command-line checks of
/// "Command line" need [global] before the sources are read: <see cref="ReadGeneral"/>, then <see cref="LoadSources"/>.
/// </summary>
public sealed class ConfigurationLoader(ReporterPaths paths, IReporterLog log)
{
    private const string GlobalSection = "global";
    private const string DefaultsSection = "defaults";
    private const string EnvironmentSection = "system_environment";
    private static readonly string[] SpecialSections = [GlobalSection, DefaultsSection, EnvironmentSection];

    public ReporterPaths Paths => paths;

    public const string CannotStartMessage = "hv-monitor can't be started: no valid configuration found";

    /// <summary>The command runner for type=cbsd sections (default: this host's programs); made once, when
    /// the first cbsd section needs it. --record/--replay set it.</summary>
    public Func<Shared.Commands.ICommandRunner>? CbsdCommands { get; init; }

    /// <summary>Both steps with a given command-line merge (for callers that need no checks in between).</summary>
    public ReporterConfiguration Load(Func<GlobalSettings, GlobalSettings> mergeCommandLine)
    {
        var general = ReadGeneral();
        return LoadSources(general, mergeCommandLine(general.Global));
    }

    /// <summary>/etc/virt-who.conf. <paramref name="commandLineGlobals"/> (-i) go over [global]'s own keys
    /// before it is validated, as virt-who merges them, so a bad -i gets the same "[global]: " message once.</summary>
    public GeneralConfiguration ReadGeneral(IReadOnlyList<KeyValuePair<string, string>>? commandLineGlobals = null)
    {
        var path = paths.GeneralConfig;
        var sections = ReadFile(path) ?? [];
        var global = sections.FirstOrDefault(s => s.Name == GlobalSection);
        if (global?.Error is { } globalError)
            log.Error($"[{GlobalSection}]: {globalError}");
        var globalOptions = new List<KeyValuePair<string, string>>(global is { Error: null } ? global.Options : []);
        foreach (var (key, value) in commandLineGlobals ?? [])
        {
            globalOptions.RemoveAll(o => o.Key == key);
            globalOptions.Add(new(key, value));
        }
        var (settings, messages) = GlobalSectionValidator.Validate(globalOptions, DefaultReporterId(), DefaultLogDirectory);
        foreach (var m in messages)
            log.Write(m.Level, $"[{GlobalSection}]: {m.Text}");
        // Under --sysroot every path the reporter writes lands under it, an admin's log_dir included.
        settings = settings with { LogDir = paths.Under(settings.LogDir) };
        var defaultsSection = sections.FirstOrDefault(s => s.Name == DefaultsSection);
        if (defaultsSection?.Error is { } defaultsError)
            log.Error($"[{DefaultsSection}]: {defaultsError}");
        var environmentSection = sections.FirstOrDefault(s => s.Name == EnvironmentSection);
        if (environmentSection?.Error is { } environmentError)
            log.Error($"[{EnvironmentSection}]: {environmentError}");
        var sources = sections.Where(s => !SpecialSections.Contains(s.Name)).ToList();
        return new GeneralConfiguration(settings, defaultsSection?.Options ?? [], environmentSection?.Options ?? [], sources)
        {
            DefaultsError = defaultsSection?.Error,
        };
    }

    /// <summary>log_dir's default before --sysroot is applied (<see cref="ReadGeneral"/> applies it to any value).</summary>
    private const string DefaultLogDirectory = "/var/log/rhsm";

    /// <summary>Never throws anything but <see cref="ConfigurationException"/> for what the files say, so a
    /// SIGHUP reload of hostile files keeps the daemon running.</summary>
    public ReporterConfiguration LoadSources(GeneralConfiguration general, GlobalSettings global)
    {
        var sections = new Dictionary<string, IniSection>(StringComparer.Ordinal);
        bool fromCommandLine = false;
        if (global.Configs.Count > 0)
        {
            foreach (var file in global.Configs)
            {
                // [global], [defaults] and [system_environment] count only in /etc/virt-who.conf.
                foreach (var section in (ReadFile(file) ?? []).Where(s => !SpecialSections.Contains(s.Name)))
                    sections[section.Name] = section;
            }
            if (!global.Configs.Any(Shared.Platform.RegularFile.IsRegular))
                throw new ConfigurationException("No valid configuration file provided using -c/--config");
            fromCommandLine = sections.Count > 0;
            if (fromCommandLine)
                foreach (var _ in global.Configs)
                    log.Info($"Using configuration passed in by -c/--configs; ignoring configuration files in '{paths.ConfigDirectory}/'");
        }

        bool dropInHasConfFiles = false;
        if (!fromCommandLine)
        {
            foreach (var section in general.SourceSections)
                sections[section.Name] = section;
            foreach (var file in DropInFiles(out dropInHasConfFiles))
                foreach (var section in ReadFile(file) ?? [])
                    if (!SpecialSections.Contains(section.Name))
                        sections[section.Name] = section;
        }

        foreach (var blank in sections.Keys.Where(k => PythonText.Strip(k).Length == 0).ToList())
            sections.Remove(blank);

        if (sections.Count == 0)
        {
            if (dropInHasConfFiles)
            {
                log.Error("The configuration files do not have any valid section headers");
                throw new ConfigurationException(CannotStartMessage);
            }
            log.Warning("Using default \"cmdline\" configuration");
            sections["cmdline"] = new IniSection("cmdline", [new("type", SectionValidator.LibvirtType)]);
        }

        var rhsm = RhsmConf.Load(paths, log);
        var keyCache = new Lazy<PasswordKey>(() => PasswordKey.Load(paths.KeyFile), LazyThreadSafetyMode.None);
        PasswordKey LoadKey()
        {
            try
            {
                return keyCache.Value;
            }
            catch (KeyFileException)
            {
                keyCache = new Lazy<PasswordKey>(() => PasswordKey.Load(paths.KeyFile), LazyThreadSafetyMode.None);
                throw;
            }
        }

        Shared.Commands.ICommandRunner? sharedRunner = null;
        Shared.Commands.ICommandRunner cbsdRunner() => sharedRunner ??= (CbsdCommands ?? ReportSourceFactory.HostCommands)();

        var configured = new List<ConfiguredSection>();
        foreach (var name in sections.Keys.Order(StringComparer.Ordinal))
        {
            var section = sections[name];
            if ((section.Error ?? general.DefaultsError) is { } unusable)
            {
                log.Error($"[{name}]: {(section.Error is null ? "[defaults]: " : "")}{unusable}");
                log.Warning($"Dropping invalid configuration \"{name}\"");
                continue;
            }
            var merged = MergeOverDefaults(general.Defaults, section.Options);
            var validated = SectionValidator.Validate(name, merged, LoadKey);
            foreach (var m in validated.Messages)
                log.Write(m.Level, $"[{name}]: {m.Text}");
            if (!validated.IsValid)
            {
                log.Warning($"Dropping invalid configuration \"{name}\"");
                continue;
            }
            if (validated.NotSupported is { } reason)
            {
                log.Warning($"[{name}]: {reason}; this section is skipped");
                continue;
            }
            var settings = validated.Settings!;
            var source = ReportSourceFactory.Create(settings, log, cbsdRunner);
            if (source is null)
                continue;
            configured.Add(new ConfiguredSection(name, settings, source, rhsm.Resolve(settings.Owner, settings.Rhsm, paths)));
        }
        if (configured.Count == 0)
        {
            log.Warning("No valid configurations found");
            throw new ConfigurationException(CannotStartMessage);
        }
        return new ReporterConfiguration(global, general.SystemEnvironment, configured, paths) { CbsdCommands = CbsdCommands };
    }

    private static List<KeyValuePair<string, string>> MergeOverDefaults(
        IReadOnlyList<KeyValuePair<string, string>> defaults, IReadOnlyList<KeyValuePair<string, string>> own)
    {
        var merged = new List<KeyValuePair<string, string>>(defaults.Where(d => !own.Any(o => o.Key == d.Key)));
        merged.AddRange(own);
        return merged;
    }

    /// <summary>/etc/virt-who.d/*.conf in name order (virt-who's order is random); dot files are skipped
    /// but still count as .conf files, template.conf does not count. The directory's state is logged as
    /// virt-who logs it (missing, empty, no .conf files, other files).</summary>
    private List<string> DropInFiles(out bool hasConfFiles)
    {
        hasConfFiles = false;
        var dir = paths.ConfigDirectory;
        List<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(dir).Select(e => Path.GetFileName(e)).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning($"Configuration directory '{dir}/' doesn't exist or is not accessible");
            return [];
        }
        var conf = entries.Where(n => n.EndsWith(".conf", StringComparison.Ordinal)).ToList();
        if (entries.Count == 0)
            log.Warning($"Configuration directory '{dir}/' appears empty");
        else if (conf.Count == 0)
            log.Warning($"Configuration directory '{dir}/' does not have any '*.conf' files but is not empty");
        else if (conf.Count < entries.Count)
            log.Debug($"There are files in '{dir}/' not ending in '*.conf' is this intentional?");
        var files = new List<string>();
        foreach (var name in conf)
        {
            if (name != "template.conf")
                hasConfFiles = true;
            if (!name.StartsWith('.'))
                files.Add(Path.Join(dir, name));
        }
        return files;
    }

    /// <summary>One file's sections, values unquoted; null (and an ERROR) when the file cannot be used.
    /// Only a regular file of at most <see cref="Shared.Platform.RegularFile.DefaultMaxBytes"/> is read: a
    /// FIFO, a device or a huge file is refused at once with the reason.</summary>
    private List<IniSection>? ReadFile(string path)
    {
        string text;
        try
        {
            text = Shared.Platform.RegularFile.ReadAllText(path);
        }
        catch (Shared.Platform.UnsuitableFileException e)
        {
            log.Error($"Unable to read configuration file {path} ({e.Reason})");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error($"Unable to read configuration file {path}");
            return null;
        }
        IniDocument document;
        try
        {
            document = IniParser.Parse(text, path);
        }
        catch (IniMissingSectionHeaderException)
        {
            log.Error($"Configuration file {path} contains no section headers");
            return null;
        }
        catch (IniSyntaxException e)
        {
            log.Error($"Config file \"{path}\" skipped because of an error: {e.Message}");
            return null;
        }
        if (document.DuplicateOptionMessage is { } duplicate)
            log.Warning(duplicate);
        return document.Sections
            .Select(s => s with { Options = s.Options.Select(o => new KeyValuePair<string, string>(o.Key, Unquote(o.Value))).ToList() })
            .ToList();
    }

    /// <summary>virt-who strips one pair of matching outer quotes when that quote does not occur inside.</summary>
    public static string Unquote(string value)
    {
        foreach (var quote in new[] { '"', '\'' })
        {
            if (value.Length >= 1 && value[0] == quote && value[^1] == quote
                && (value.Length < 2 || !value.AsSpan(1, value.Length - 2).Contains(quote)))
                return value.Length < 2 ? "" : value[1..^1];
        }
        return value;
    }

    /// <summary>gethostname(), as Python's socket.gethostname(): the kernel's node name, read from /proc on
    /// Linux (cheaper than loading the resolver), else from the resolver library.</summary>
    public static string HostName()
    {
        try
        {
            var name = File.ReadAllText("/proc/sys/kernel/hostname").Trim();
            if (name.Length > 0)
                return name;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return System.Net.Dns.GetHostName();
    }

    /// <summary>reporter_id's default: hostname-machine id (first line of /etc/machine-id), or the hostname alone.</summary>
    private string DefaultReporterId()
    {
        var host = HostName();
        try
        {
            var text = Shared.Platform.RegularFile.ReadAllText(paths.MachineId, 4096);
            var first = PythonText.FileLines(text).FirstOrDefault()?.Trim();
            return string.IsNullOrEmpty(first) ? host : $"{host}-{first}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return host;
        }
    }
}
