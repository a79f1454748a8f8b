using System.Globalization;
using HvMonitor.Shared.Commands;
using HvMonitor.Shared.Text;

namespace HvMonitor.Collector.Procfs;

/// <summary>
/// The command line each read is recorded under, the one a shell user would type for the same answer:
/// <c>cat /proc/uptime /proc/42/stat</c>, <c>ls /proc</c>, <c>getconf CLK_TCK</c>. Recordings name the full path.
/// </summary>
internal static class ProcRecordingLines
{
    public static string[] Cat(string root, string[] paths) => ["cat", .. paths.Select(p => Path.Combine(root, p))];
    public static string[] Ls(string root, string path) => ["ls", Path.Combine(root, path)];
    public static readonly string[] GetconfClockTicks = ["getconf", "CLK_TCK"];

    /// <summary>ls's answer: one name a line.</summary>
    public static string Lines(IEnumerable<string> names) => string.Concat(names.Select(n => n + "\n"));
}

/// <summary>Reads through <paramref name="inner"/> and writes every answer, failures too, into the recording.</summary>
public sealed class RecordingProcFileSystem(IProcFileSystem inner, RecordingDirectory recording) : IProcFileSystem
{
    public string Root => inner.Root;

    public string ReadFiles(params string[] paths) =>
        Record(ProcRecordingLines.Cat(Root, paths), () => inner.ReadFiles(paths), text => text);

    public IReadOnlyList<string> ListDirectory(string path) =>
        Record(ProcRecordingLines.Ls(Root, path), () => inner.ListDirectory(path), ProcRecordingLines.Lines);

    public long ClockTicksPerSecond() =>
        Record(ProcRecordingLines.GetconfClockTicks, inner.ClockTicksPerSecond, hz => hz.ToString(CultureInfo.InvariantCulture) + "\n");

    private T Record<T>(string[] argv, Func<T> read, Func<T, string> asText) => recording.Record<T, IOException>(argv, read, asText);
}

/// <summary>
/// Answers every read from a recording, under the same <paramref name="root"/> the recorded run had. A read that failed
/// when recorded fails again with the recorded message; a read the recording lacks stops the run
/// (<see cref="ReplayMissingException"/>).
/// </summary>
public sealed class ReplayProcFileSystem(string root, ReplayCommandRunner replay) : IProcFileSystem
{
    public string Root => root;

    public string ReadFiles(params string[] paths) => Answer(ProcRecordingLines.Cat(root, paths));

    public IReadOnlyList<string> ListDirectory(string path) =>
        Answer(ProcRecordingLines.Ls(root, path)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>0 when the recorded answer is not a number: the reader falls back to the usual 100 Hz, as it would live.</summary>
    public long ClockTicksPerSecond() =>
        long.TryParse(Answer(ProcRecordingLines.GetconfClockTicks).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var hz) ? hz : 0;

    private string Answer(string[] argv)
    {
        var request = new CommandRequest(argv, TimeSpan.FromSeconds(10));
        var result = replay.Run(request, CancellationToken.None);
        if (!result.Succeeded)
            throw new IOException(Utf8Text.Decode(result.Stderr, out _) is { Length: > 0 } m ? m : result.DescribeFailure(request));
        return result.StdoutText(out _);
    }
}
