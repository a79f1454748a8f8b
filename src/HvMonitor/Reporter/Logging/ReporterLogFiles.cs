using System.Security.Cryptography;
using System.Text;

namespace HvMonitor.Reporter.Logging;

/// <summary>A log that can hand out the log of a named part of the program (virt-who's named loggers).</summary>
public interface INamedLogs
{
    /// <summary>The log for the virt-who logger <c>virtwho.NAME</c>.</summary>
    IReporterLog ForLogger(string name);
}

public static class NamedLogExtensions
{
    /// <summary>The named part's log where <paramref name="log"/> keeps one per name (log_per_config), else
    /// <paramref name="log"/> itself.</summary>
    public static IReporterLog ForLogger(this IReporterLog log, string name) =>
        log is INamedLogs named ? named.ForLogger(name) : log;
}

/// <summary>
/// The reporter's log files in <c>log_dir</c>. Normally one, <c>log_file</c> (default rhsm.log). With
/// <c>log_per_config=true</c> one per virt-who logger, named as virt-who names them: the program, its
/// configuration and its sources log to <c>virtwho.&lt;log_file with '.' and '/' as '_'&gt;.log</c>
/// (virt-who's main logger is made from [global]'s log_file: <c>virtwho.rhsm_log.log</c> by default), and
/// each destination to <c>virtwho.destination_&lt;hash&gt;.log</c>. virt-who's hash is Python's hash() of the
/// destination, new at every start; hv-monitor's is a stable one of its section names, so a destination
/// keeps its file across restarts. Files are made on their first line.
/// </summary>
public sealed class ReporterLogFiles : IReporterLog, INamedLogs, IDisposable
{
    private readonly string _directory;
    private readonly bool _perConfig;
    private readonly LogLevel _minimum;
    private readonly IReporterLog _fallback;
    private readonly WatchedFileLog _main;
    private readonly Dictionary<string, WatchedFileLog> _named = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <param name="under">roots an absolute path under --sysroot: an absolute <paramref name="logFile"/> is the file itself
    /// (os.path.join drops log_dir then, in virt-who as here), and must not escape the sysroot either.</param>
    public ReporterLogFiles(string logDir, string logFile, bool perConfig, LogLevel minimum, IReporterLog fallback, Func<string, string> under)
    {
        _directory = logDir;
        _perConfig = perConfig;
        _minimum = minimum;
        _fallback = fallback;
        string main = perConfig ? Path.Combine(logDir, FileName(MainLoggerName(logFile)))
            : Path.IsPathRooted(logFile) ? under(logFile) : Path.Combine(logDir, logFile);
        _main = new WatchedFileLog(main, minimum, fallback);
    }

    /// <summary>The file the program's own lines go to.</summary>
    public string MainPath => _main.Path;

    /// <summary>virt-who's main logger: <c>virtwho.</c> + log_file with '.' and '/' replaced by '_'.</summary>
    public static string MainLoggerName(string logFile) => logFile.Replace('.', '_').Replace('/', '_');

    /// <summary><c>virtwho.NAME.log</c>.</summary>
    public static string FileName(string loggerName) => $"virtwho.{loggerName}.log";

    /// <summary>virt-who's <c>destination_&lt;hash&gt;</c>, with a stable hash of the destination's section
    /// names (a signed 64-bit number, as Python's hash() prints).</summary>
    public static string DestinationLoggerName(IEnumerable<string> sections)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", sections)));
        return "destination_" + BitConverter.ToInt64(digest, 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Write(LogLevel level, string message) => _main.Write(level, message);

    public IReporterLog ForLogger(string name)
    {
        if (!_perConfig)
            return this;
        lock (_gate)
        {
            if (!_named.TryGetValue(name, out var log))
                _named[name] = log = new WatchedFileLog(Path.Combine(_directory, FileName(name)), _minimum, _fallback);
            return log;
        }
    }

    public void Dispose()
    {
        _main.Dispose();
        lock (_gate)
            foreach (var log in _named.Values)
                log.Dispose();
    }
}
