using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HvMonitor.Reporter.Daemon;

/// <summary>An flock(2) on a file, as virt-who takes on /run/virt-who-status.pid around run_data.json.</summary>
public sealed partial class FileLock : IDisposable
{
    private const int LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    private readonly FileStream _file;

    private FileLock(FileStream file) => _file = file;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle fd, int operation);

    /// <summary>Tries for up to <paramref name="timeout"/>; null when another process kept the lock.</summary>
    public static FileLock? TryAcquire(string path, TimeSpan timeout)
    {
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir))
            Directory.CreateDirectory(dir);
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Flock(file.SafeFileHandle, LOCK_EX | LOCK_NB) == 0)
                return new FileLock(file);
            if (DateTime.UtcNow >= until)
            {
                file.Dispose();
                return null;
            }
            Thread.Sleep(20);
        }
    }

    public void Dispose()
    {
        Flock(_file.SafeFileHandle, LOCK_UN);
        _file.Dispose();
    }
}
