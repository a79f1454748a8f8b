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
public static class RegularFile
{
    /// <summary>Bigger than any virt-who, rhsm or key file we know by three orders of magnitude.</summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    private const int ENOENT = 2, EACCES = 13, ENOTDIR = 20;
    // Too many levels of symbolic links: ELOOP, 40 on Linux and 62 on FreeBSD.
    private static int ELOOP => OperatingSystem.IsFreeBSD() ? 62 : 40;

    private static int OpenFlags =>
        SafeOpen.Flags.ReadOnly | SafeOpen.Flags.NonBlock | SafeOpen.Flags.NoCtty | SafeOpen.Flags.CloseOnExec;

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

    private static SafeFileHandle OpenRegular(string path)
    {
        int fd = SafeOpen.Open(path, OpenFlags, 0, out int errno);
        if (fd < 0)
        {
            throw errno switch
            {
                ENOENT or ENOTDIR => new FileNotFoundException($"No such file or directory: {path}", path),
                EACCES => new UnauthorizedAccessException($"Permission denied: {path}"),
                _ when errno == ELOOP => new UnsuitableFileException(path, "too many levels of symbolic links"),
                _ => new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}"),
            };
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        FileKind kind;
        try
        {
            // What is checked is the open descriptor, so what is read is what was checked.
            kind = FileStat.Of(handle).Kind;
        }
        catch (IOException e)
        {
            handle.Dispose();
            throw new IOException($"{path}: {e.Message}", e);
        }
        if (kind == FileKind.Regular)
            return handle;
        handle.Dispose();
        string what = kind switch
        {
            FileKind.Directory => "a directory",
            FileKind.CharacterDevice => "a character device",
            FileKind.BlockDevice => "a block device",
            FileKind.Fifo => "a FIFO",
            FileKind.Socket => "a socket",
            _ => "a special file",
        };
        throw new UnsuitableFileException(path, $"{what}, not a regular file");
    }
}
