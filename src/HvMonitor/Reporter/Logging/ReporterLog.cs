namespace HvMonitor.Reporter.Logging;

public enum LogLevel { Debug, Info, Warning, Error }

/// <summary>
/// Where the reporter's log lines go. Messages are built by our own code from configuration names and
/// libvirt/HTTP errors, never from a <see cref="Shared.Text.Secret"/>'s value (Secret.ToString is a mask).
/// </summary>
public interface IReporterLog
{
    void Write(LogLevel level, string message);
}

public static class ReporterLogExtensions
{
    public static void Debug(this IReporterLog log, string message) => log.Write(LogLevel.Debug, message);
    public static void Info(this IReporterLog log, string message) => log.Write(LogLevel.Info, message);
    public static void Warning(this IReporterLog log, string message) => log.Write(LogLevel.Warning, message);
    public static void Error(this IReporterLog log, string message) => log.Write(LogLevel.Error, message);

    public static string Name(this LogLevel level) => level switch
    {
        LogLevel.Debug => "DEBUG",
        LogLevel.Info => "INFO",
        LogLevel.Warning => "WARNING",
        _ => "ERROR",
    };
}

/// <summary>
/// Log lines on a text writer (stderr) at or above a minimum level, as
/// <c>2026-11-22 04:30:17,827 [INFO] message</c> (virt-who's timestamp and level, without its Python
/// module/line fields). The level can be lowered once [global] debug is known.
/// </summary>
public sealed class TextWriterLog(TextWriter writer, LogLevel minimum, TimeProvider? clock = null) : IReporterLog
{
    /// <summary>One log line, stderr's and the log files' alike. A password inside a URI that a message quotes
    /// (a libvirt error naming <c>qemu+ssh://user:pw@host/</c>) is masked here, the last stop before output.</summary>
    public static string Format(DateTimeOffset now, LogLevel level, string message) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{now:yyyy-MM-dd HH:mm:ss},{now.Millisecond:000} [{level.Name()}] {Shared.Text.UriCredentials.MaskPasswords(message)}");

    private readonly Lock _lock = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public LogLevel Minimum { get; set; } = minimum;

    public void Write(LogLevel level, string message)
    {
        if (level < Minimum)
            return;
        var line = Format(_clock.GetLocalNow(), level, message);
        lock (_lock)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}

/// <summary>Keeps every line in memory (tests, and lines logged before the real log exists).</summary>
public sealed class MemoryLog : IReporterLog
{
    private readonly List<(LogLevel Level, string Message)> _lines = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get { lock (_lock) return _lines.ToArray(); }
    }

    public void Write(LogLevel level, string message)
    {
        lock (_lock) _lines.Add((level, message));
    }
}

/// <summary>
/// Keeps the lines logged until <see cref="Take"/>, and nothing after: what the configuration and the sources said
/// before the log file was open goes into that file too once it is, as in virt-who, whose file handler exists from the
/// start. Bounded by what one start can log (the configuration files are capped).
/// </summary>
public sealed class UntilTakenLog : IReporterLog
{
    private List<(LogLevel Level, string Message)>? _lines = [];
    private readonly Lock _lock = new();

    public void Write(LogLevel level, string message)
    {
        lock (_lock) _lines?.Add((level, message));
    }

    /// <summary>The lines kept so far; from now on nothing is kept.</summary>
    public IReadOnlyList<(LogLevel Level, string Message)> Take()
    {
        lock (_lock)
        {
            var lines = _lines ?? [];
            _lines = null;
            return lines;
        }
    }
}

/// <summary>Sends every line to several logs (stderr and a log file); a named part's lines go to each log's
/// log for that name (stderr, and that part's own file with log_per_config).</summary>
public sealed class TeeLog(params IReporterLog[] logs) : IReporterLog, INamedLogs
{
    public void Write(LogLevel level, string message)
    {
        foreach (var log in logs)
            log.Write(level, message);
    }

    public IReporterLog ForLogger(string name) => new TeeLog(logs.Select(l => l.ForLogger(name)).ToArray());
}
