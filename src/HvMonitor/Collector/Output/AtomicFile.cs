using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using HvMonitor.Shared.Platform;

namespace HvMonitor.Collector.Output;

/// <summary>
/// Replaces a file so that a reader (snmpd's cat) sees either the old content or the new, never a
/// mix: write a temporary file in the same directory, fsync it, then rename it over the target.
/// A failure leaves the old file as it was and no temporary file behind.
/// <para>
/// The cache directory may be writable by snmpd's user while root runs <c>-w</c>, so nothing in it is trusted: the
/// target must be missing or a regular file (lstat: a symbolic link, FIFO, device or directory is refused, so
/// <c>-o /dev/null</c> cannot turn /dev/null into a file); the temporary file is created with O_EXCL (a planted
/// link or file of that name makes the create fail, never followed); rename(2) replaces the directory entry and
/// never follows a link that appears there meanwhile.
/// </para>
/// </summary>
public static partial class AtomicFile
{
    public const UnixFileMode WorldReadable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>A temporary file this old, unlocked, is left over from a killed run (a write takes milliseconds).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Refuses (with an <see cref="IOException"/> whose message says why, naming <paramref name="path"/>) a target
    /// that is not a regular file or missing. Called for every file of a run before the first is written, so a
    /// refused target leaves nothing written.
    /// </summary>
    public static void CheckTarget(string path)
    {
        var full = Path.GetFullPath(path);
        var kind = FileStat.Of(full).Kind;
        if (kind is FileKind.Missing or FileKind.Regular)
            return;
        throw new IOException($"it is {FileStatus.Describe(kind)}, not a regular file; -o wants a regular file or a path that does not exist yet (it was left as it is)");
    }

    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        var name = Path.GetFileName(full);
        if (FileStat.Of(dir, followLinks: true).Kind is not FileKind.Directory and var dirKind)
            throw new IOException(dirKind == FileKind.Missing ? $"the directory {dir} does not exist" : $"{dir} is not a directory");
        CheckTarget(full);
        RemoveStaleTemporaries(dir, name);
        var temp = Path.Combine(dir, "." + name + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            // CreateNew is O_CREAT|O_EXCL: never an existing file or a link. FileShare.None takes a flock for as long
            // as the file is open, which tells a concurrent run's clean-up that this one is alive.
            using (var stream = new FileStream(temp, new FileStreamOptions
                   {
                       Mode = FileMode.CreateNew,
                       Access = FileAccess.Write,
                       Share = FileShare.None,
                       UnixCreateMode = WorldReadable,
                   }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
                // The create mode is filtered by the umask; snmpd's user must be able to read the file. fchmod, not chmod by name.
                File.SetUnixFileMode(stream.SafeFileHandle, WorldReadable);
            }
            // A FIFO or link put there since the check would now be replaced, not written through; check once more
            // to refuse the common case of it appearing while we wrote.
            CheckTarget(full);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new IOException(Describe(e, temp, full, dir), e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Removes this target's temporary files that a killed run left behind: only names of our own pattern, only
    /// regular files (never following a link), only when older than <see cref="StaleAfter"/> and not locked by a
    /// live writer. Anything it cannot judge is left alone; a failure here never stops the write.
    /// </summary>
    public static void RemoveStaleTemporaries(string dir, string name)
    {
        var pattern = TemporaryName();
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(dir, "." + name + ".*.tmp").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var entry in entries)
        {
            var m = pattern.Match(Path.GetFileName(entry));
            if (!m.Success || m.Groups[1].Value != name)
                continue;
            try
            {
                var status = FileStat.Of(entry);
                if (status.Kind != FileKind.Regular || DateTime.UtcNow - status.ModifiedUtc < StaleAfter)
                    continue;
                if (SafeOpen.IsUnlockedRegularFile(entry))
                    File.Delete(entry); // unlink(2): removes the name, never follows it
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's, or already gone: leave it.
            }
        }
    }

    /// <summary>".NAME.PID.8HEX.tmp", the temporary files <see cref="Write"/> creates.</summary>
    [GeneratedRegex(@"^\.(.+)\.[0-9]{1,10}\.[0-9a-f]{8}\.tmp$")]
    private static partial Regex TemporaryName();

    /// <summary>What went wrong, naming the target (never the hidden temporary file) in plain words.</summary>
    private static string Describe(Exception e, string temp, string full, string dir)
    {
        switch (e)
        {
            case UnauthorizedAccessException:
                return $"permission denied (the directory {dir} must be writable by this user)";
            case DirectoryNotFoundException:
                return $"the directory {dir} does not exist";
            case FileNotFoundException:
                // Creating the temporary file failed with ENOENT: a directory that takes no new files (/proc, /sys).
                return $"no file can be created in {dir}";
        }
        // .NET's own texts end in " : 'PATH'" (the temporary file); errno-based IOExceptions carry errno as HResult.
        if (e.HResult is > 0 and < 4096 && e.GetType() == typeof(IOException) && !e.Message.StartsWith(full, StringComparison.Ordinal))
            return Marshal.GetPInvokeErrorMessage(e.HResult);
        return e.Message.Replace(temp, full, StringComparison.Ordinal);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more we can do; the original error is what the user needs to see.
        }
    }
}
