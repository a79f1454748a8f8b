using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HvMonitor.Reporter.Daemon;

/// <summary>
/// An flock(2) on a file, as virt-who takes on /run/virt-who-status.pid around run_data.json. The file is
/// opened with open(2), not FileStream: .NET's FileStream takes its own non-blocking flock on Unix and fails
/// at once ("being used by another process") while anyone else holds the lock, so the wait never happened.
/// </summary>
public sealed partial class FileLock : IDisposable
{
    private const int LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    private const int O_RDWR = 2;
    private readonly SafeFileHandle _file;

    private FileLock(SafeFileHandle file) => _file = file;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle fd, int operation);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    /// <summary>O_CLOEXEC, so a command a source runs meanwhile does not inherit the descriptor (and the lock).</summary>
    private static int CloseOnExec => OperatingSystem.IsFreeBSD() ? 0x100000 : 0x80000;

    /// <summary>Tries for up to <paramref name="timeout"/>; null when another process kept the lock.</summary>
    public static FileLock? TryAcquire(string path, TimeSpan timeout)
    {
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir))
            Directory.CreateDirectory(dir);
        CreateIfMissing(path);
        int fd = Open(path, O_RDWR | CloseOnExec);
        if (fd < 0)
            throw new IOException($"cannot open {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        var file = new SafeFileHandle(fd, ownsHandle: true);
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Flock(file, LOCK_EX | LOCK_NB) == 0)
                return new FileLock(file);
            if (DateTime.UtcNow >= until)
            {
                file.Dispose();
                return null;
            }
            Thread.Sleep(20);
        }
    }

    /// <summary>A missing file has no holder, so .NET's own lock taken while creating it cannot conflict.</summary>
    private static void CreateIfMissing(string path)
    {
        if (File.Exists(path))
            return;
        try
        {
            using var created = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Someone created and locked it in between: it exists now, which is all that is needed.
        }
    }

    public void Dispose()
    {
        Flock(_file, LOCK_UN);
        _file.Dispose();
    }
}
