namespace HvMonitor.Shared.Commands;

/// <summary>
/// Where a program's probes are answered, chosen once per run from <c>--record DIR</c> and <c>--replay DIR</c>, with the
/// same checks for both programs: the host itself (<see cref="Live"/>); the host while every answer is also written
/// into an empty directory (<see cref="Recording"/>); or a recording in the host's place (<see cref="Replay"/>). Each
/// seam (the command runner, the libvirt source, the /proc reader) picks its live, recording or replaying
/// implementation from this one object, so a run records or replays all of its probes, never some of them.
/// </summary>
public sealed class RecordReplay
{
    public static RecordReplay Live { get; } = new(null, null);

    private RecordReplay(RecordingDirectory? recording, ReplayCommandRunner? replay)
    {
        Recording = recording;
        Replay = replay;
    }

    /// <summary>--record: where every answer is written; null otherwise.</summary>
    public RecordingDirectory? Recording { get; }

    /// <summary>--replay: the recorded answers; null otherwise.</summary>
    public ReplayCommandRunner? Replay { get; }

    /// <summary>
    /// Checks the directories once, at the start of a run: a recording to replay must be readable, and a directory to
    /// record into is created and must be empty (an old recording's files would mix with this run's answers).
    /// Throws <see cref="RecordReplayException"/> with a message for the operator.
    /// </summary>
    public static RecordReplay Open(string? recordDirectory, string? replayDirectory)
    {
        if (recordDirectory is not null && replayDirectory is not null)
            throw new RecordReplayException("--record and --replay cannot be combined: a replay asks the recording, not the host", isUsage: true);
        if (replayDirectory is { } replay)
        {
            try
            {
                return new RecordReplay(null, new ReplayCommandRunner(replay));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                throw new RecordReplayException($"cannot replay '{replay}': {e.Message}", isUsage: false, e);
            }
        }
        if (recordDirectory is not { } record)
            return Live;
        bool empty;
        try
        {
            Directory.CreateDirectory(record);
            empty = !Directory.EnumerateFileSystemEntries(record).Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecordReplayException($"cannot record into '{record}': {e.Message}", isUsage: false, e);
        }
        if (!empty)
            throw new RecordReplayException($"--record {record}: the directory is not empty; give a new or empty one", isUsage: true);
        return new RecordReplay(new RecordingDirectory(record), null);
    }

    /// <summary>External commands: the host's runner (made by <paramref name="host"/>), that runner recorded, or the recording.</summary>
    public ICommandRunner Commands(Func<ICommandRunner> host) =>
        Replay ?? (Recording is { } recording ? new RecordingCommandRunner(host(), recording) : host());
}

/// <summary>--record or --replay cannot be used as given; <see cref="IsUsage"/>: the command line is at fault, not the disk.</summary>
public sealed class RecordReplayException(string message, bool isUsage, Exception? inner = null) : Exception(message, inner)
{
    public bool IsUsage { get; } = isUsage;
}
