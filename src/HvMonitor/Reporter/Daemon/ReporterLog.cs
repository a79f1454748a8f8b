using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace HvMonitor.Reporter.Daemon;

public enum LogLevel { Debug = 10, Info = 20, Warning = 30, Error = 40 }

/// <summary>
/// The reporter's log, in virt-who's formats (virt-who.md §6): the file <c>log_dir/log_file</c> at INFO
/// (DEBUG with -d) as <c>2026-11-22 04:30:17,827 [INFO] @CandlepinClient.cs:120 - message</c>, and stderr in
/// the long debug format. Thread-safe. Messages are never given secrets: <see cref="Model.Secret"/> prints a mask.
/// A file that cannot be opened is reported once on stderr and the log goes on without it.
/// </summary>
public sealed class ReporterLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TextWriter? _stderr;
    private readonly bool _debug;
    private readonly string? _filePath;
    private StreamWriter? _file;

    /// <param name="filePath">log_dir/log_file, or null for no file.</param>
    /// <param name="stderr">null: nothing on stderr (status mode without -d; started by PID 1).</param>
    public ReporterLog(string? filePath, TextWriter? stderr, bool debug)
    {
        _filePath = filePath;
        _stderr = stderr;
        _debug = debug;
        if (filePath is not null)
            OpenFile(filePath);
    }

    /// <summary>A log that writes nowhere (unit tests).</summary>
    public static ReporterLog Silent() => new(null, null, debug: true);

    public bool DebugEnabled => _debug;

    public void Debug(string message, [CallerFilePath] string file = "", [CallerMemberName] string member = "", [CallerLineNumber] int line = 0) =>
        Write(LogLevel.Debug, message, file, member, line);

    public void Info(string message, [CallerFilePath] string file = "", [CallerMemberName] string member = "", [CallerLineNumber] int line = 0) =>
        Write(LogLevel.Info, message, file, member, line);

    public void Warning(string message, [CallerFilePath] string file = "", [CallerMemberName] string member = "", [CallerLineNumber] int line = 0) =>
        Write(LogLevel.Warning, message, file, member, line);

    public void Error(string message, [CallerFilePath] string file = "", [CallerMemberName] string member = "", [CallerLineNumber] int line = 0) =>
        Write(LogLevel.Error, message, file, member, line);

    public void Write(LogLevel level, string message, string file, string member, int line)
    {
        if (level < (_debug ? LogLevel.Debug : LogLevel.Info))
            return;
        var now = DateTime.Now;
        var stamp = now.ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture);
        var levelName = level switch
        {
            LogLevel.Debug => "DEBUG",
            LogLevel.Info => "INFO",
            LogLevel.Warning => "WARNING",
            _ => "ERROR",
        };
        var fileName = Path.GetFileName(file.Replace('\\', '/'));
        var thread = Thread.CurrentThread.Name ?? (Environment.CurrentManagedThreadId == 1 ? "MainThread" : "Thread-" + Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture));
        var longLine = $"{stamp} [hv-monitor.report {levelName}] MainProcess({Environment.ProcessId}):{thread} @{fileName}:{member}:{line} - {message}";
        var shortLine = _debug ? longLine : $"{stamp} [{levelName}] @{fileName}:{line} - {message}";
        lock (_gate)
        {
            try
            {
                _stderr?.WriteLine(longLine);
                _stderr?.Flush();
            }
            catch (IOException)
            {
                // stderr closed (daemon detached from its terminal): the file still has the line.
            }
            WriteFile(shortLine);
        }
    }

    private void WriteFile(string line)
    {
        if (_file is null)
            return;
        // Like Python's WatchedFileHandler: logrotate moved the file away, so start a new one.
        if (_filePath is not null && !File.Exists(_filePath))
        {
            _file.Dispose();
            _file = null;
            OpenFile(_filePath);
            if (_file is null)
                return;
        }
        try
        {
            _file.WriteLine(line);
            _file.Flush();
        }
        catch (IOException)
        {
        }
    }

    private void OpenFile(string path)
    {
        try
        {
            var dir = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(dir))
                Directory.CreateDirectory(dir);
            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            _file = new StreamWriter(stream, new UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _stderr?.WriteLine($"hv-monitor report: cannot write the log file {path}: {e.Message}");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }
}
