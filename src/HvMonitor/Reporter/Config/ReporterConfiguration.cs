using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Sources;

namespace HvMonitor.Reporter.Config;

/// <summary>One valid source section, ready to run: its source and its destination.</summary>
/// <param name="Destination">Owner null for a section without owner (local consumer update / default destination).</param>
public sealed record ConfiguredSection(string Name, SectionSettings Settings, IReportSource Source, CandlepinSettings Destination);

/// <summary>
/// What <see cref="ConfigurationLoader"/> produced: [global] (merged with the command line), the
/// [system_environment] variables to apply, and every valid, supported source section sorted by name
/// (docs/virt-who-compatibility.md, D8).
/// </summary>
public sealed record ReporterConfiguration(
    GlobalSettings Global,
    IReadOnlyList<KeyValuePair<string, string>> SystemEnvironment,
    IReadOnlyList<ConfiguredSection> Sections,
    ReporterPaths Paths)
{
    /// <summary>The type=cbsd command runner it was loaded with (--record/--replay), so a reload (SIGHUP) keeps it.</summary>
    public Func<Shared.Commands.ICommandRunner>? CbsdCommands { get; init; }
}

/// <summary>/etc/virt-who.conf read: [global] (not yet merged with the command line), [defaults],
/// [system_environment], and the file's own source sections.</summary>
public sealed record GeneralConfiguration(
    GlobalSettings Global,
    IReadOnlyList<KeyValuePair<string, string>> Defaults,
    IReadOnlyList<KeyValuePair<string, string>> SystemEnvironment,
    IReadOnlyList<IniSection> SourceSections)
{
    /// <summary>Set when [defaults] itself cannot be used: every source section is dropped with it.</summary>
    public string? DefaultsError { get; init; }
}

/// <summary>The reporter cannot start (exit 1); the message is logged at ERROR.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
