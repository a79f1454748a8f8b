using System.Globalization;
using HvMonitor.Reporter.Logging;
using HvMonitor.Shared.Platform;

namespace HvMonitor.Reporter.Daemon;

/// <summary>
/// The daemon's PID file (/run/virt-who.pid, 0600, the PID without newline). Only the daemon writes and
/// removes it, and a second daemon is refused while its PID lives; -o, -p and -s runs never touch it, so
/// they cannot delete a running daemon's file (virt-who's do).
/// The daemon holds an flock(2) on a lock file beside it (/run/virt-who.pid.lock, 0600) for its whole life, so that
/// deciding "no daemon runs" and writing the PID file are one step: two daemons started together cannot both run,
/// and one clearing a stale file cannot delete the file the other has just written. The lock is on a file of its
/// own because .NET's FileStream takes an flock of its own when it opens a file: a .NET program could not read a PID
/// file that the daemon keeps locked. The PID in the file is still checked too, for a daemon that takes no lock
/// (virt-who itself). The lock file stays (removing a lock file reopens the race it closes); /run is emptied at boot.
/// </summary>
public sealed class PidFile : IDisposable
{
    /// <summary>A PID is at most 10 digits; a longer file is not a PID file.</summary>
    private const int MaxLength = 64;

    private readonly string _path;
    private readonly FileLock _lock;

    private PidFile(string path, FileLock held)
    {
        _path = path;
        _lock = held;
    }

    public static string LockPathOf(string pidPath) => pidPath + ".lock";

    /// <summary>Null when another daemon lives: then <paramref name="stderr"/> got virt-who's plain message (not a log line).</summary>
    public static PidFile? TryCreate(string path, IReporterLog log, TextWriter stderr)
    {
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir))
            Directory.CreateDirectory(dir);
        var held = FileLock.TryAcquire(LockPathOf(path), TimeSpan.Zero, FileLock.OwnerOnlyMode);
        if (held is null)
            return Refuse(path, stderr);
        try
        {
            if (FileStat.Of(path).Kind != FileKind.Missing)
            {
                if (ReadPid(path) is int pid && pid != Environment.ProcessId && IsAlive(pid))
                {
                    held.Dispose();
                    return Refuse(path, stderr);
                }
                log.Info("PID file exists but associated process does not, deleting PID file");
                File.Delete(path); // a symbolic link is removed, not followed
            }
            // CreateNew is O_CREAT|O_EXCL: never through a link, never over a file put there meanwhile.
            using (var file = new FileStream(path, new FileStreamOptions
                   {
                       Mode = FileMode.CreateNew, Access = FileAccess.Write,
                       UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                   }))
            {
                file.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
            }
            return new PidFile(path, held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    private static PidFile? Refuse(string path, TextWriter stderr)
    {
        stderr.WriteLine($"hv-monitor report seems to be already running. If not, remove {path}");
        stderr.Flush();
        return null;
    }

    /// <summary>The PID the file names; null when it is not a short regular file holding a number.</summary>
    private static int? ReadPid(string path)
    {
        try
        {
            using var file = SafeOpen.RegularFileForRead(path, followLinks: false);
            var buffer = new byte[MaxLength + 1];
            int n = RandomAccess.Read(file, buffer, 0);
            var text = System.Text.Encoding.ASCII.GetString(buffer, 0, n).Trim();
            return n <= MaxLength && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}") || !OperatingSystem.IsLinux() && ProcessExists(pid);

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            // Only our own file: never a PID file someone else wrote meanwhile.
            if (ReadPid(_path) == Environment.ProcessId)
                File.Delete(_path);
        }
        catch (IOException)
        {
        }
        finally
        {
            _lock.Dispose();
        }
    }
}
