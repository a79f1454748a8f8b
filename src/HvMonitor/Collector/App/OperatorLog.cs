using System.Globalization;

namespace HvMonitor.Collector.App;

/// <summary>
/// Where warnings and errors for the operator go: stderr (cron mails it) and/or the --log file.
/// In serve mode stderr is never used, because snmpd merges the command's stderr into its output.
/// </summary>
public sealed class OperatorLog(TextWriter? stderr)
{
    private string? _file;

    public void AppendTo(string? file) => _file = file;

    /// <summary>Routine facts (one line per collection): the log file only, never stderr, so cron stays quiet.</summary>
    public void Info(string message) => Write(message, toStderr: false);

    public void Warn(string message) => Write("warning: " + message);

    public void Error(string message) => Write("error: " + message);

    private void Write(string message, bool toStderr = true)
    {
        if (toStderr)
            stderr?.WriteLine("hv-monitor: " + message);
        if (_file is null)
            return;
        try
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} hv-monitor[{Environment.ProcessId}]: {message}\n");
            File.AppendAllText(_file, line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A log we cannot write must not break the report; stderr (if allowed) still has the message.
            stderr?.WriteLine($"hv-monitor: cannot append to {_file}: {e.Message}");
        }
    }
}
