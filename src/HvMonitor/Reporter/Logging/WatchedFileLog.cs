using System.Text;

namespace HvMonitor.Reporter.Logging;

/// <summary>
/// The log file <c>log_dir/log_file</c> (default /var/log/rhsm/rhsm.log), like Python's WatchedFileHandler:
/// when logrotate moved it away, the next line opens a new one. A file that cannot be written is reported
/// once on the fallback log and the run goes on without it.
/// </summary>
public sealed class WatchedFileLog(string path, LogLevel minimum, IReporterLog fallback) : IReporterLog, IDisposable
{
    private readonly Lock _gate = new();
    private StreamWriter? _file;
    private bool _failed;

    public string Path => path;

    public void Write(LogLevel level, string message)
    {
        if (level < minimum)
            return;
        var line = TextWriterLog.Format(DateTimeOffset.Now, level, message);
        lock (_gate)
        {
            if (_file is not null && !File.Exists(path))
            {
                _file.Dispose();
                _file = null;
            }
            if (_file is null && !_failed)
                Open();
            try
            {
                _file?.WriteLine(line);
                _file?.Flush();
            }
            catch (IOException)
            {
            }
        }
    }

    private void Open()
    {
        try
        {
            var dir = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(dir))
                Directory.CreateDirectory(dir);
            _file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), new UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _failed = true;
            fallback.Warning($"Cannot write the log file {path}: {e.Message}");
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
