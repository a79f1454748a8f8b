using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HvMonitor.Shared.Platform;

/// <summary>What a path is, as lstat(2)/stat(2) say (.NET's FileInfo cannot tell a FIFO or a device from a file).</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
}

/// <summary>One stat answer: the kind and the modification time (UTC).</summary>
public readonly record struct FileStatus(FileKind Kind, DateTime ModifiedUtc)
{
    /// <summary>"a FIFO", "a symbolic link", ... for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a FIFO (named pipe)",
        _ => "a socket",
    };
}

/// <summary>
/// The stat calls, with no struct layout that differs between architectures: on Linux statx(2) (its buffer is the
/// same on every architecture), on FreeBSD lstat/fstat with the FreeBSD 12+ layout (st_mode at byte 24).
/// </summary>
public static partial class FileStat
{
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    private const uint STATX_TYPE = 0x1, STATX_MTIME = 0x40;
    private const int ENOENT = 2, ENOTDIR = 20;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int BsdLstat(string path, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int BsdStat(string path, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int BsdFstat(SafeFileHandle fd, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxFd(SafeFileHandle dirfd, string path, int flags, uint mask, Span<byte> buffer);

    /// <summary>
    /// The path itself (a symbolic link is <see cref="FileKind.SymbolicLink"/>), or with <paramref name="followLinks"/>
    /// what it points to. A missing path (or a missing directory on the way) is <see cref="FileKind.Missing"/>;
    /// any other failure (permission) is an <see cref="IOException"/> naming the path.
    /// </summary>
    public static FileStatus Of(string path, bool followLinks = false)
    {
        Span<byte> buffer = stackalloc byte[512];
        int rc = OperatingSystem.IsLinux()
            ? Statx(AT_FDCWD, path, followLinks ? 0 : AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_MTIME, buffer)
            : followLinks ? BsdStat(path, buffer) : BsdLstat(path, buffer);
        if (rc != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR)
                return new FileStatus(FileKind.Missing, default);
            throw new IOException($"cannot examine {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        return Decode(buffer);
    }

    /// <summary>What an open descriptor is (fstat).</summary>
    public static FileStatus Of(SafeFileHandle handle)
    {
        Span<byte> buffer = stackalloc byte[512];
        int rc = OperatingSystem.IsLinux()
            ? StatxFd(handle, "", AT_EMPTY_PATH, STATX_TYPE | STATX_MTIME, buffer)
            : BsdFstat(handle, buffer);
        if (rc != 0)
            throw new IOException($"cannot examine an open file: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        return Decode(buffer);
    }

    private static FileStatus Decode(ReadOnlySpan<byte> buffer)
    {
        // struct statx: stx_mode is a u16 at 28, stx_mtime.tv_sec an s64 at 112. FreeBSD's struct stat: st_mode
        // a u16 at 24, st_mtim.tv_sec an s64 at 64.
        bool linux = OperatingSystem.IsLinux();
        int mode = BitConverter.ToUInt16(buffer[(linux ? 28 : 24)..]);
        long seconds = BitConverter.ToInt64(buffer[(linux ? 112 : 64)..]);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            _ => FileKind.Socket,
        };
        return new FileStatus(kind, DateTime.UnixEpoch.AddSeconds(seconds));
    }
}
