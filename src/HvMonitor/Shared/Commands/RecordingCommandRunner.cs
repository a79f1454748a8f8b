namespace HvMonitor.Shared.Commands;

/// <summary>
/// Answers every probe with <paramref name="inner"/> and writes the answer into <paramref name="recording"/>,
/// one file per probe (<see cref="RecordingFile"/>). A probe asked twice gets a second file, replayed in turn.
/// </summary>
public sealed class RecordingCommandRunner(ICommandRunner inner, RecordingDirectory recording) : ICommandRunner, IDisposable
{
    public RecordingCommandRunner(ICommandRunner inner, string directory) : this(inner, new RecordingDirectory(directory))
    {
    }

    public CommandResult Run(CommandRequest request, CancellationToken cancellation)
    {
        var result = inner.Run(request, cancellation);
        recording.Write(request.DisplayLine, result);
        return result;
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
