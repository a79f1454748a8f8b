using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Model;
using HvMonitor.Reporter.Sources;

namespace HvMonitor.Reporter.Config;

/// <summary>
/// virt-who's configuration files (virt-who.md §2.1): /etc/virt-who.conf, /etc/virt-who.d/*.conf or the
/// -c/configs files, all under <see cref="ReporterPaths"/>; each section merged over [defaults], validated,
/// logged as <c>[name]: message</c>, and dropped on an error. Two steps, because the command-line checks of
/// §1 need [global] before the sources are read: <see cref="ReadGeneral"/>, then <see cref="LoadSources"/>.
/// </summary>
public sealed class ConfigurationLoader(ReporterPaths paths, IReporterLog log)
{
    private const string GlobalSection = "global";
    private const string DefaultsSection = "defaults";
    private const string EnvironmentSection = "system_environment";
    private static readonly string[] SpecialSections = [GlobalSection, DefaultsSection, EnvironmentSection];

    public ReporterPaths Paths => paths;

    /// <summary>The command runner for type=cbsd sections (default: this host's programs); made once, when
    /// the first cbsd section needs it. --record/--replay set it.</summary>
    public Func<Shared.Commands.ICommandRunner>? CbsdCommands { get; init; }

    /// <summary>Both steps with a given command-line merge (for callers that need no checks in between).</summary>
    public ReporterConfiguration Load(Func<GlobalSettings, GlobalSettings> mergeCommandLine)
    {
        var general = ReadGeneral();
        return LoadSources(general, mergeCommandLine(general.Global));
    }

    public GeneralConfiguration ReadGeneral()
    {
        var path = paths.GeneralConfig;
        var sections = ReadFile(path) ?? [];
        var global = sections.FirstOrDefault(s => s.Name == GlobalSection);
        var (settings, messages) = GlobalSectionValidator.Validate(global?.Options ?? [], DefaultReporterId(), paths.DefaultLogDirectory);
        foreach (var m in messages)
            log.Write(m.Level, $"[{GlobalSection}]: {m.Text}");
        var defaults = sections.FirstOrDefault(s => s.Name == DefaultsSection)?.Options ?? [];
        var environment = sections.FirstOrDefault(s => s.Name == EnvironmentSection)?.Options ?? [];
        var sources = sections.Where(s => !SpecialSections.Contains(s.Name)).ToList();
        return new GeneralConfiguration(settings, defaults, environment, sources);
    }

    public ReporterConfiguration LoadSources(GeneralConfiguration general, GlobalSettings global)
    {
        var sections = new Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>(StringComparer.Ordinal);
        bool fromCommandLine = false;
        if (global.Configs.Count > 0)
        {
            if (!global.Configs.Any(File.Exists))
                throw new ConfigurationException("No valid configuration file provided using -c/--config");
            foreach (var file in global.Configs)
            {
                // [global], [defaults] and [system_environment] count only in /etc/virt-who.conf.
                foreach (var section in (ReadFile(file) ?? []).Where(s => !SpecialSections.Contains(s.Name)))
                    sections[section.Name] = section.Options;
            }
            fromCommandLine = sections.Count > 0;
            if (fromCommandLine)
                foreach (var _ in global.Configs)
                    log.Info($"Using configuration passed in by -c/--configs; ignoring configuration files in '{paths.ConfigDirectory}/'");
        }

        bool dropInHasConfFiles = false;
        if (!fromCommandLine)
        {
            foreach (var section in general.SourceSections)
                sections[section.Name] = section.Options;
            foreach (var file in DropInFiles(out dropInHasConfFiles))
                foreach (var section in ReadFile(file) ?? [])
                    if (!SpecialSections.Contains(section.Name))
                        sections[section.Name] = section.Options;
        }

        foreach (var blank in sections.Keys.Where(k => k.Trim().Length == 0).ToList())
            sections.Remove(blank);

        if (sections.Count == 0)
        {
            if (dropInHasConfFiles)
                throw new ConfigurationException("The configuration files do not have any valid section headers");
            log.Info("Using default \"cmdline\" configuration");
            sections["cmdline"] = [new("type", SectionValidator.LibvirtType)];
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
            var merged = MergeOverDefaults(general.Defaults, sections[name]);
            var validated = SectionValidator.Validate(name, merged, LoadKey);
            foreach (var m in validated.Messages)
                log.Write(m.Level, $"[{name}]: {m.Text}");
            if (!validated.IsValid)
            {
                log.Error($"Dropping invalid configuration \"{name}\"");
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
            log.Error("No valid configurations found");
            throw new ConfigurationException("hv-monitor can't be started: no valid configuration found");
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
    /// but still count as .conf files, template.conf does not count.</summary>
    private List<string> DropInFiles(out bool hasConfFiles)
    {
        hasConfFiles = false;
        var dir = paths.ConfigDirectory;
        if (!Directory.Exists(dir))
        {
            log.Warning($"Configuration directory '{dir}' doesn't exist or is not accessible");
            return [];
        }
        var files = new List<string>();
        foreach (var path in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (!name.EndsWith(".conf", StringComparison.Ordinal))
                continue;
            if (name != "template.conf")
                hasConfFiles = true;
            if (!name.StartsWith('.'))
                files.Add(path);
        }
        return files;
    }

    /// <summary>One file's sections, values unquoted; null (and an ERROR) when the file cannot be used.</summary>
    private List<IniSection>? ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
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
            var first = File.ReadLines(paths.MachineId).FirstOrDefault()?.Trim();
            return string.IsNullOrEmpty(first) ? host : $"{host}-{first}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return host;
        }
    }
}
