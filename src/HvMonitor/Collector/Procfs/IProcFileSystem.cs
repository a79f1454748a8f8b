using HvMonitor.Shared.Platform;
using HvMonitor.Shared.Text;

namespace HvMonitor.Collector.Procfs;

/// <summary>
/// The files the Linux backend reads, rooted at /proc (or a fixture tree standing in for it), as procfs's <c>FS</c>:
/// <see cref="LiveProcFileSystem"/> reads them, <see cref="RecordingProcFileSystem"/> also writes each answer down
/// (<c>--record</c>), <see cref="ReplayProcFileSystem"/> answers from such a recording (<c>--replay</c>). A relative path
/// is read under <see cref="Root"/>; an absolute one as it is (libvirt's pid files under /run). Failures are
/// <see cref="IOException"/>s carrying the original message. Safe to use from several threads.
/// </summary>
public interface IProcFileSystem
{
    /// <summary>Where /proc is.</summary>
    string Root { get; }

    /// <summary>
    /// The files' text (UTF-8; invalid bytes become U+FFFD), read back to back and concatenated, as <c>cat</c> prints
    /// them: /proc/uptime read together with a process's counters is one snapshot, not two moments.
    /// </summary>
    string ReadFiles(params string[] paths);

    /// <summary>The entry names of a directory, in ordinal order.</summary>
    IReadOnlyList<string> ListDirectory(string path);

    /// <summary>sysconf(_SC_CLK_TCK), the unit of /proc's CPU times: a property of the host the files came from.</summary>
    long ClockTicksPerSecond();
}

/// <summary>The host's own files: in process, no child process.</summary>
public sealed class LiveProcFileSystem(string root = "/proc") : IProcFileSystem
{
    public string Root => root;

    public string ReadFiles(params string[] paths)
    {
        try
        {
            if (paths.Length == 1)
                return Utf8Text.Decode(File.ReadAllBytes(Path.Combine(root, paths[0])), out _);
            return Utf8Text.Decode([.. paths.SelectMany(p => File.ReadAllBytes(Path.Combine(root, p)))], out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(e);
        }
    }

    public IReadOnlyList<string> ListDirectory(string path)
    {
        try
        {
            return [.. Directory.EnumerateFileSystemEntries(Path.Combine(root, path)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(e);
        }
    }

    public long ClockTicksPerSecond() => LibC.ClockTicksPerSecond;

    /// <summary>
    /// One kind of failure with the original message, whatever the cause (gone, hidepid, not a directory): live, recorded
    /// and replayed reads then fail alike.
    /// </summary>
    private static IOException Unreadable(Exception e) => new(e.Message, e);
}
