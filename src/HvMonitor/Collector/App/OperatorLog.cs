using System.Globalization;
using System.Text;
using HvMonitor.Shared.Platform;
using HvMonitor.Shared.Text;

namespace HvMonitor.Collector.App;

/// <summary>
/// Where warnings and errors for the operator go: stderr (cron mails it) and/or the --log file.
/// In serve mode stderr is never used, because snmpd merges the command's stderr into its output.
/// Every line has a password written into the libvirt URI masked (<see cref="UriCredentials"/>).
/// </summary>
public sealed class OperatorLog(TextWriter? stderr)
{
    private string? _file;
    private string? _uri;

    /// <summary>
    /// Why the --log file could not be appended to (the first failure), or null. Serve mode has no stderr, so the
    /// program puts this into the envelope's errorString: a log lost in silence is how a root-owned log file
    /// went unnoticed.
    /// </summary>
    public string? Problem { get; private set; }

    public void AppendTo(string? file) => _file = file;

    /// <summary>The URI whose credentials are masked in every line.</summary>
    public void MaskCredentialsOf(string? uri) => _uri = uri;

    /// <summary><paramref name="text"/> with the URI's credentials masked, for the envelope too.</summary>
    public string Redact(string text) => UriCredentials.Redact(text, _uri);

    /// <summary>Routine facts (one line per collection): the log file only, never stderr, so cron stays quiet.</summary>
    public void Info(string message) => Write(message, toStderr: false);

    public void Warn(string message) => Write("warning: " + message);

    public void Error(string message) => Write("error: " + message);

    private void Write(string message, bool toStderr = true)
    {
        message = MessageText.Bound(Redact(message));
        if (toStderr)
            stderr?.WriteLine("hv-monitor: " + message);
        if (_file is null)
            return;
        try
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} hv-monitor[{Environment.ProcessId}]: {message}\n");
            // Never through a symbolic link, never blocking on a FIFO: the log's directory may be snmpd's user's.
            using var handle = SafeOpen.RegularFileForAppend(_file);
            using var stream = new FileStream(handle, FileAccess.Write);
            stream.Write(Encoding.UTF8.GetBytes(line));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var why = e is UnauthorizedAccessException
                ? $"cannot append to the log {_file}: permission denied (it belongs to another user, e.g. after a run as root; chown it to the user that runs hv-monitor)"
                : $"cannot append to the log {_file}: {e.Message}";
            if (Problem is null)
            {
                Problem = why;
                // A log we cannot write must not break the report; stderr (if allowed) still has the message.
                stderr?.WriteLine("hv-monitor: " + why);
            }
        }
    }
}
