namespace HvMonitor.Shared.Commands;

/// <summary>
/// Answers every probe with <paramref name="inner"/> and writes the answer into <paramref name="directory"/>,
/// one file per probe (<see cref="RecordingFile"/>). A probe asked twice gets a second file, replayed in turn.
/// </summary>
public sealed class RecordingCommandRunner(ICommandRunner inner, string directory) : ICommandRunner, IDisposable
{
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public CommandResult Run(CommandRequest request, CancellationToken cancellation)
    {
        var result = inner.Run(request, cancellation);
        string line = request.DisplayLine;
        int occurrence;
        lock (_lock)
        {
            _occurrences[line] = occurrence = _occurrences.GetValueOrDefault(line) + 1;
        }
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, RecordingFile.FileNameFor(line, occurrence)), RecordingFile.Format(line, result));
        return result;
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
