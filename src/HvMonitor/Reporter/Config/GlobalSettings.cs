using System.Globalization;

namespace HvMonitor.Reporter.Config;

/// <summary>
/// The <c>[global]</c> values of /etc/virt-who.conf (docs/virt-who-compatibility.md, "The [global] section") after the command line is merged in
/// (docs/virt-who-compatibility.md, "Command line": only flags that differ from their defaults count). <see cref="OneShot"/> is already true when
/// print mode asks for it.
/// </summary>
public sealed record GlobalSettings
{
    public const int DefaultInterval = 3600;
    public const int MinimumInterval = 60;

    /// <summary>Seconds between collections and sends in the daemon.</summary>
    public int Interval { get; init; } = DefaultInterval;
    public bool Debug { get; init; }
    public bool OneShot { get; init; }
    /// <summary><c>print_</c> / <c>-p</c>.</summary>
    public bool Print { get; init; }
    public bool Status { get; init; }
    public bool Json { get; init; }
    public bool LogPerConfig { get; init; }
    public required string ReporterId { get; init; }
    /// <summary>Already under --sysroot (the default and an admin's value alike).</summary>
    public required string LogDir { get; init; }
    public string LogFile { get; init; } = "rhsm.log";
    /// <summary><c>configs</c> / <c>-c</c>: when they give sections, only those are sources.</summary>
    public IReadOnlyList<string> Configs { get; init; } = [];

    /// <summary>Python int() of an interval: surrounding whitespace and a sign are fine.</summary>
    public static bool TryParseInterval(string? text, out int seconds)
    {
        seconds = DefaultInterval;
        if (text is null || !int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < MinimumInterval)
            return false;
        seconds = value;
        return true;
    }

    public const string IntervalWarning = "Interval value can't be lower than 60 seconds. Default value of 3600 seconds will be used.";
}

/// <summary>Validates the [global] section: a pure function of its options to settings and messages.</summary>
public static class GlobalSectionValidator
{
    private static readonly string[] BooleanKeys = ["debug", "oneshot", "status", "json", "print_", "log_per_config"];

    public static (GlobalSettings Settings, IReadOnlyList<ValidationMessage> Messages) Validate(
        IReadOnlyList<KeyValuePair<string, string>> options, string defaultReporterId, string defaultLogDir)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in options)
            values[k] = v;
        var messages = new List<ValidationMessage>();
        var flags = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var key in BooleanKeys)
        {
            if (!values.TryGetValue(key, out var text))
            {
                messages.Add(ValidationMessage.Debug($"Value for \"{key}\" not set, using default: False"));
                flags[key] = false;
            }
            else if (ParseBool(text) is { } b)
                flags[key] = b;
            else
            {
                messages.Add(ValidationMessage.Warning($"{key} must be a valid boolean, using default: False. See man virt-who-config for more info"));
                flags[key] = false;
            }
        }

        int interval = GlobalSettings.DefaultInterval;
        if (!values.TryGetValue("interval", out var intervalText))
            messages.Add(ValidationMessage.Debug($"Value for \"interval\" not set, using default: {GlobalSettings.DefaultInterval}"));
        else if (!GlobalSettings.TryParseInterval(intervalText, out interval))
            messages.Add(ValidationMessage.Warning(GlobalSettings.IntervalWarning));

        string NonEmpty(string key, string fallback)
        {
            if (!values.TryGetValue(key, out var v))
            {
                messages.Add(ValidationMessage.Debug($"Value for \"{key}\" not set, using default: {fallback}"));
                return fallback;
            }
            if (v.Length > 0)
                return v;
            messages.Add(ValidationMessage.Warning($"\"{key}\" cannot be empty, using default: \"{fallback}\""));
            return fallback;
        }
        var reporterId = NonEmpty("reporter_id", defaultReporterId);
        var logDir = NonEmpty("log_dir", defaultLogDir);
        var logFile = NonEmpty("log_file", "rhsm.log");

        IReadOnlyList<string> configs = [];
        if (values.TryGetValue("configs", out var configsText))
        {
            try
            {
                configs = ListSyntax.Parse(configsText);
            }
            catch (ListSyntaxException e)
            {
                messages.Add(ValidationMessage.Error($"Option \"configs\" cannot be parsed: {e.Message}"));
            }
        }

        string[] known = [.. BooleanKeys, "interval", "reporter_id", "log_dir", "log_file", "configs"];
        foreach (var key in values.Keys.Where(k => !known.Contains(k)))
            messages.Add(ValidationMessage.Warning($"Ignoring unknown configuration option \"{key}\""));

        var settings = new GlobalSettings
        {
            Interval = interval,
            Debug = flags["debug"],
            OneShot = flags["oneshot"] || flags["print_"],
            Print = flags["print_"],
            Status = flags["status"],
            Json = flags["json"],
            LogPerConfig = flags["log_per_config"],
            ReporterId = reporterId,
            LogDir = logDir,
            LogFile = logFile,
            Configs = configs,
        };
        return (settings, messages);
    }

    /// <summary>virt-who's booleans: trimmed, case-insensitive yes/true/on/1 and no/false/off/0.</summary>
    public static bool? ParseBool(string text) => text.Trim().ToLowerInvariant() switch
    {
        "yes" or "true" or "on" or "1" => true,
        "no" or "false" or "off" or "0" => false,
        _ => null,
    };
}
