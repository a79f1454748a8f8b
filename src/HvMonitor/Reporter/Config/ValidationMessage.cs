using HvMonitor.Reporter.Logging;

namespace HvMonitor.Reporter.Config;

/// <summary>
/// One message of a section's validation (docs/virt-who-compatibility.md, "Validation messages"), logged as <c>[&lt;section&gt;]: &lt;text&gt;</c>
/// at its level. Any <see cref="LogLevel.Error"/> makes the section invalid.
/// </summary>
public sealed record ValidationMessage(LogLevel Level, string Text)
{
    public static ValidationMessage Error(string text) => new(LogLevel.Error, text);
    public static ValidationMessage Warning(string text) => new(LogLevel.Warning, text);
    public static ValidationMessage Info(string text) => new(LogLevel.Info, text);
    public static ValidationMessage Debug(string text) => new(LogLevel.Debug, text);

    public override string ToString() => $"{Level.Name()}: {Text}";
}
