using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace HvMonitor.Shared.Platform;

/// <summary>A file that is refused before it is read: not a regular file, or larger than the cap.</summary>
/// <param name="Reason">Why, without the path: "a FIFO, not a regular file", "larger than 1048576 bytes".</param>
public sealed class UnsuitableFileException(string path, string reason) : IOException($"{path}: {reason}")
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Reads a small configuration-like file safely: opened with O_NONBLOCK (a FIFO must not block the reader),
/// checked with fstat(2) to be a regular file after symlinks are followed (so /dev/zero, a FIFO, a socket or
/// a directory is refused at once), and read only up to a size cap (a huge file is refused, not loaded).
/// </summary>
public static partial class RegularFile
{
    /// <summary>Bigger than any virt-who, rhsm or key file we know by three orders of magnitude.</summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    private const int S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFCHR = 0x2000, S_IFBLK = 0x6000, S_IFIFO = 0x1000, S_IFSOCK = 0xC000;
    private const int ENOENT = 2, EACCES = 13, ENOTDIR = 20, ELOOP = 40;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static unsafe partial int FStat(SafeFileHandle fd, byte* buffer);

    // O_RDONLY (0) | O_NONBLOCK | O_NOCTTY | O_CLOEXEC.
    private static int OpenFlags => OperatingSystem.IsFreeBSD() ? 0x4 | 0x8000 | 0x100000 : 0x800 | 0x100 | 0x80000;

    /// <summary>The whole text (UTF-8, invalid bytes replaced), or an <see cref="IOException"/> whose message
    /// names the path and the reason: missing (<see cref="FileNotFoundException"/>), no permission
    /// (<see cref="UnauthorizedAccessException"/>), or <see cref="UnsuitableFileException"/>.</summary>
    public static string ReadAllText(string path, int maxBytes = DefaultMaxBytes)
    {
        using var handle = OpenRegular(path);
        var buffer = new byte[Math.Min(maxBytes + 1, 64 * 1024)];
        using var content = new MemoryStream();
        using var stream = new FileStream(handle, FileAccess.Read, 1);
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            content.Write(buffer, 0, n);
            if (content.Length > maxBytes)
                throw new UnsuitableFileException(path, $"larger than {maxBytes} bytes");
        }
        return new UTF8Encoding(false, false).GetString(content.GetBuffer(), 0, (int)content.Length);
    }

    /// <summary>True when <paramref name="path"/> names a regular file (symlinks followed), without opening it.</summary>
    public static bool IsRegular(string path)
    {
        try
        {
            using var handle = OpenRegular(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static unsafe SafeFileHandle OpenRegular(string path)
    {
        int fd = Open(path, OpenFlags);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                ENOENT or ENOTDIR => new FileNotFoundException($"No such file or directory: {path}", path),
                EACCES => new UnauthorizedAccessException($"Permission denied: {path}"),
                ELOOP => new UnsuitableFileException(path, "too many levels of symbolic links"),
                _ => new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}"),
            };
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        // struct stat differs by platform, but st_mode's file-type bits sit in the 16 bits at offset 24
        // (Linux x86-64, FreeBSD) or 16 (Linux on other 64-bit CPUs: the generic layout); both little-endian.
        byte* stat = stackalloc byte[512];
        if (FStat(handle, stat) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        int offset = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture != Architecture.X64 ? 16 : 24;
        int type = *(ushort*)(stat + offset) & S_IFMT;
        if (type == S_IFREG)
            return handle;
        handle.Dispose();
        string what = type switch
        {
            S_IFDIR => "a directory",
            S_IFCHR => "a character device",
            S_IFBLK => "a block device",
            S_IFIFO => "a FIFO",
            S_IFSOCK => "a socket",
            _ => "a special file",
        };
        throw new UnsuitableFileException(path, $"{what}, not a regular file");
    }
}
