using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HvMonitor.Shared.Platform;

/// <summary>
/// An exclusive flock(2) on a lock file, waited for with a time limit, released when disposed or when the
/// process dies. Used for the collector's serve-mode cache (BASE.lock: one concurrent run collects, the others
/// wait and serve what it wrote) and the reporter's run_data.json (/run/virt-who-status.pid, as virt-who).
/// The file is opened with open(2), not FileStream: .NET's FileStream takes a flock of its own (and skips it
/// under DOTNET_SYSTEM_IO_DISABLEFILELOCKING), which is not the lock we mean to hold.
/// </summary>
public sealed partial class FileLock : IDisposable
{
    private const int LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    private const int EACCES = 13, EPERM = 1;

    /// <summary>rw-r--r-- when the file is created: flock needs no write access, so any user who can read it can lock it.</summary>
    public const int SharedMode = 0b110_100_100;

    /// <summary>rw------- when the file is created: only its owner (root) can lock it, so no other user can hold it to block a start.</summary>
    public const int OwnerOnlyMode = 0b110_000_000;

    private readonly SafeFileHandle _file;

    private FileLock(SafeFileHandle file) => _file = file;

    private static int Flock(SafeFileHandle fd, int operation) => SafeOpen.Flock(fd, operation);

    // O_RDONLY is 0. O_CLOEXEC: a command run meanwhile (a CBSD probe) must not inherit the descriptor, and the lock.
    // O_NOFOLLOW | O_NONBLOCK: in a directory snmpd's user can write, a planted symbolic link must not make root
    // create a file elsewhere, nor a planted FIFO block the run.
    private static int OpenFlags => SafeOpen.Flags.Create | SafeOpen.Flags.CloseOnExec | SafeOpen.Flags.NoFollow | SafeOpen.Flags.NonBlock;

    /// <summary>
    /// Opens (creating it if missing) and locks <paramref name="path"/>, trying for up to <paramref name="wait"/>;
    /// null when another process kept the lock that long. Its directory must exist: a missing or unwritable
    /// directory is an <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> naming the path.
    /// </summary>
    public static FileLock? TryAcquire(string path, TimeSpan wait, int createMode = SharedMode)
    {
        int fd = SafeOpen.Open(path, OpenFlags, createMode, out int errno);
        if (fd < 0)
        {
            var message = $"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}";
            throw errno is EACCES or EPERM ? new UnauthorizedAccessException(message) : new IOException(message);
        }
        var file = new SafeFileHandle(fd, ownsHandle: true);
        var until = DateTime.UtcNow + wait;
        while (true)
        {
            if (Flock(file, LOCK_EX | LOCK_NB) == 0)
                return new FileLock(file);
            if (DateTime.UtcNow >= until)
            {
                file.Dispose();
                return null;
            }
            // Held by another process: poll, since flock offers no wait with a time limit.
            Thread.Sleep(20);
        }
    }

    public void Dispose()
    {
        Flock(_file, LOCK_UN);
        _file.Dispose();
    }
}
