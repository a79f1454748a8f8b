namespace HvMonitor.Shared.Commands;

/// <summary>
/// Answers each probe from the recording file whose first line is that probe's command. A command recorded
/// several times is answered in recorded order, then with its last answer. A probe the recording lacks is
/// an error that names it: replay never guesses.
/// </summary>
public sealed class ReplayCommandRunner : ICommandRunner
{
    private readonly Dictionary<string, List<CommandResult>> _answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _served = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly string _directory;

    /// <summary>Far above any real probe (1000 domains' stats are ~2 MiB): a bigger file is not a recording.</summary>
    public const long MaxFileBytes = 64L << 20;

    /// <summary>
    /// Reads every recording file of <paramref name="directory"/> at once. A missing directory, a file that is not a
    /// regular file (a FIFO would block the run until its deadline), one over <see cref="MaxFileBytes"/> or one
    /// that is malformed is an <see cref="IOException"/> (a <see cref="RecordingException"/>) naming the file.
    /// </summary>
    public ReplayCommandRunner(string directory)
    {
        _directory = directory;
        var kind = Platform.FileStat.Of(directory, followLinks: true).Kind;
        if (kind == Platform.FileKind.Missing)
            throw new DirectoryNotFoundException($"recording directory '{directory}' does not exist");
        if (kind != Platform.FileKind.Directory)
            throw new RecordingException($"'{directory}' is {Platform.FileStatus.Describe(kind)}, not a recording directory");
        // Ordinal file-name order keeps repeated probes (name~002.txt after name.txt) in recorded order. Every entry
        // but directories: EnumerateFiles lists FIFOs, sockets and devices too, which must be refused, not opened.
        foreach (var path in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(".json", StringComparison.Ordinal) || name.StartsWith('.') || name.EndsWith(".md", StringComparison.Ordinal))
                continue;
            var status = Platform.FileStat.Of(path, followLinks: true);
            if (status.Kind is Platform.FileKind.Directory or Platform.FileKind.Missing)
                continue;
            var file = RecordingFile.Parse(ReadBounded(path, status.Kind), path);
            if (!_answers.TryGetValue(file.CommandLine, out var list))
                _answers[file.CommandLine] = list = [];
            list.Add(file.Result);
        }
    }

    /// <summary>A recording file's bytes: only a regular file, opened without blocking, and at most <see cref="MaxFileBytes"/>.</summary>
    private static byte[] ReadBounded(string path, Platform.FileKind kind)
    {
        if (kind != Platform.FileKind.Regular)
            throw new RecordingException($"recording file {path} is {Platform.FileStatus.Describe(kind)}, not a regular file");
        try
        {
            using var handle = Platform.SafeOpen.RegularFileForRead(path, followLinks: true);
            using var stream = new FileStream(handle, FileAccess.Read);
            if (stream.Length > MaxFileBytes)
                throw new RecordingException($"recording file {path} is {stream.Length} bytes; a recorded probe is at most {MaxFileBytes >> 20} MiB");
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not RecordingException)
        {
            throw new RecordingException($"recording file {path} cannot be read: {e.Message}");
        }
    }

    /// <summary>The first word of every recorded command ("cbsd", "virsh", "cat", ...).</summary>
    private string[] RecordedPrograms() =>
        _answers.Keys.Select(k => k.Split(' ', 2)[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    public CommandResult Run(CommandRequest request, CancellationToken cancellation)
    {
        string line = request.DisplayLine;
        lock (_lock)
        {
            if (!_answers.TryGetValue(line, out var list))
                throw new ReplayMissingException($"the recording in '{_directory}' has no answer for '$ {line}'", RecordedPrograms());
            int served = _served.GetValueOrDefault(line);
            _served[line] = served + 1;
            return list[Math.Min(served, list.Count - 1)];
        }
    }
}
