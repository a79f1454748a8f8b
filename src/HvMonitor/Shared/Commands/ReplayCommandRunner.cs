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

    public ReplayCommandRunner(string directory)
    {
        _directory = directory;
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"recording directory '{directory}' does not exist");
        // Ordinal file-name order keeps repeated probes (name~002.txt after name.txt) in recorded order.
        foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            if (path.EndsWith(".json", StringComparison.Ordinal) || Path.GetFileName(path).StartsWith('.') || path.EndsWith(".md", StringComparison.Ordinal))
                continue;
            var file = RecordingFile.Parse(File.ReadAllBytes(path), Path.GetFileName(path));
            if (!_answers.TryGetValue(file.CommandLine, out var list))
                _answers[file.CommandLine] = list = [];
            list.Add(file.Result);
        }
    }

    public CommandResult Run(CommandRequest request, CancellationToken cancellation)
    {
        string line = request.DisplayLine;
        lock (_lock)
        {
            if (!_answers.TryGetValue(line, out var list))
                throw new ReplayMissingException($"the recording in '{_directory}' has no answer for '$ {line}'");
            int served = _served.GetValueOrDefault(line);
            _served[line] = served + 1;
            return list[Math.Min(served, list.Count - 1)];
        }
    }
}
