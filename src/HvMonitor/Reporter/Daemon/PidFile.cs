using HvMonitor.Reporter.Logging;
using System.Globalization;

namespace HvMonitor.Reporter.Daemon;

/// <summary>
/// The daemon's PID file (/run/virt-who.pid, 0600, the PID without newline). Only the daemon writes and
/// removes it, and a second daemon is refused while its PID lives; -o, -p and -s runs never touch it, so
/// they cannot delete a running daemon's file (virt-who's do).
/// </summary>
public sealed class PidFile : IDisposable
{
    private readonly string _path;

    private PidFile(string path) => _path = path;

    /// <summary>Null when another daemon lives: then <paramref name="stderr"/> got virt-who's plain message (not a log line).</summary>
    public static PidFile? TryCreate(string path, IReporterLog log, TextWriter stderr)
    {
        if (File.Exists(path))
        {
            var text = SafeRead(path);
            if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != Environment.ProcessId && IsAlive(pid))
            {
                stderr.WriteLine($"hv-monitor report seems to be already running. If not, remove {path}");
                stderr.Flush();
                return null;
            }
            log.Info("PID file exists but associated process does not, deleting PID file");
            File.Delete(path);
        }
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir))
            Directory.CreateDirectory(dir);
        using (var file = new FileStream(path, new FileStreamOptions
               {
                   Mode = FileMode.CreateNew, Access = FileAccess.Write,
                   UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
               }))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
        }
        return new PidFile(path);
    }

    private static string SafeRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
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
            if (SafeRead(_path).Trim() == Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
                File.Delete(_path);
        }
        catch (IOException)
        {
        }
    }
}
