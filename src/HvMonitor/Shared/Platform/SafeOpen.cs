using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HvMonitor.Shared.Platform;

/// <summary>
/// open(2) with the flags .NET's FileStream cannot give: O_NOFOLLOW (a symbolic link planted in a directory another
/// user can write is refused, not followed) and O_NONBLOCK (a FIFO answers at once instead of blocking until a
/// writer comes), then fstat(2) on the open descriptor, so what is checked is what is read or written.
/// </summary>
public static partial class SafeOpen
{
    private const int EACCES = 13, EPERM = 1, ENOENT = 2, ENOTDIR = 20, EISDIR = 21, ENXIO = 6;
    // O_NOFOLLOW on a link: ELOOP on Linux, EMLINK (31) on FreeBSD.
    private static int ELOOP => OperatingSystem.IsFreeBSD() ? 31 : 40;
    private const int LOCK_EX = 2, LOCK_NB = 4;

    // open(2) for FreeBSD only: on Linux it comes from Tmds.LibC (LinuxLibC), which binds Linux's libc.so.6 only.
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FreeBsdOpen(string path, int flags, int mode);

    // flock(2) is not bound by Tmds.LibC (it has fcntl's F_OFD_SETLK, a different lock that flock(1) and other
    // flock users do not see), so it is declared here, for Linux and FreeBSD alike.
    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(SafeFileHandle fd, int operation);

    /// <summary>open(2): the descriptor, or -1 and <paramref name="errno"/>. The one place hv-monitor opens a path itself.</summary>
    internal static int Open(string path, int flags, int mode, out int errno)
    {
        if (OperatingSystem.IsLinux())
            return LinuxLibC.Open(path, flags, mode, out errno);
        int fd = FreeBsdOpen(path, flags, mode);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    /// <summary>The open(2) flags of this OS (Linux's generic values, x86-64's O_NOFOLLOW differs from arm64's).</summary>
    internal static class Flags
    {
        private static readonly bool Bsd = OperatingSystem.IsFreeBSD();
        private static readonly bool Arm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
        public const int ReadOnly = 0, WriteOnly = 1;
        public static int Create => Bsd ? 0x200 : 0x40;
        public static int Append => Bsd ? 0x8 : 0x400;
        public static int NonBlock => Bsd ? 0x4 : 0x800;
        public static int NoCtty => Bsd ? 0x8000 : 0x100;
        public static int NoFollow => Bsd ? 0x100 : Arm ? 0x8000 : 0x20000;
        public static int CloseOnExec => Bsd ? 0x100000 : 0x80000;
    }

    /// <summary>
    /// Opens an existing regular file for reading; anything else (a FIFO, a device, a directory, with
    /// <paramref name="followLinks"/> false a symbolic link) is an <see cref="IOException"/> saying what it is, at once.
    /// </summary>
    public static SafeFileHandle RegularFileForRead(string path, bool followLinks)
    {
        int flags = Flags.ReadOnly | Flags.NonBlock | Flags.NoCtty | Flags.CloseOnExec | (followLinks ? 0 : Flags.NoFollow);
        return Checked(path, OpenOrThrow(path, flags, 0));
    }

    /// <summary>Opens <paramref name="path"/> for appending, creating it (mode 0644, less the umask) if missing; never through a symbolic link.</summary>
    public static SafeFileHandle RegularFileForAppend(string path)
    {
        int flags = Flags.WriteOnly | Flags.Append | Flags.Create | Flags.NonBlock | Flags.NoCtty | Flags.CloseOnExec | Flags.NoFollow;
        return Checked(path, OpenOrThrow(path, flags, 0b110_100_100));
    }

    /// <summary>
    /// Whether some process holds a flock on the regular file at <paramref name="path"/> (not following a link). False
    /// when it cannot be opened at all: the caller then leaves it alone.
    /// </summary>
    public static bool IsUnlockedRegularFile(string path)
    {
        try
        {
            using var handle = RegularFileForRead(path, followLinks: false);
            return Flock(handle, LOCK_EX | LOCK_NB) == 0; // released when the descriptor closes
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static SafeFileHandle OpenOrThrow(string path, int flags, int mode)
    {
        int fd = Open(path, flags, mode, out int errno);
        if (fd >= 0)
            return new SafeFileHandle(fd, ownsHandle: true);
        if (errno == ELOOP)
            throw new IOException($"{path} is a symbolic link, not a regular file");
        if (errno == EISDIR)
            throw new IOException($"{path} is a directory, not a regular file");
        if (errno == ENXIO)
            throw new IOException($"{path} is a FIFO or a device, not a regular file");
        var message = $"{path}: {Marshal.GetPInvokeErrorMessage(errno)}";
        throw errno switch
        {
            EACCES or EPERM => new UnauthorizedAccessException($"{path}: permission denied"),
            // With O_CREAT, ENOENT means the directory is missing.
            ENOENT when (flags & Flags.Create) != 0 => new DirectoryNotFoundException($"the directory {Path.GetDirectoryName(path)} does not exist"),
            ENOENT => new FileNotFoundException($"{path} does not exist", path),
            ENOTDIR => new DirectoryNotFoundException($"{path}: a directory on the way does not exist"),
            _ => new IOException(message),
        };
    }

    private static SafeFileHandle Checked(string path, SafeFileHandle handle)
    {
        FileKind kind;
        try
        {
            kind = FileStat.Of(handle).Kind;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        if (kind == FileKind.Regular)
            return handle;
        handle.Dispose();
        throw new IOException($"{path} is {FileStatus.Describe(kind)}, not a regular file");
    }
}
