namespace HvMonitor.Shared.Commands;

/// <summary>
/// The one seam every external command goes through: the real runner starts processes; the recording runner
/// wraps any runner and writes what it answered; the replay runner answers from a recording. In-process probes
/// (libvirt calls, /proc reads) are runners too, so one record/replay mechanism serves every backend.
/// Implementations are safe to call from several threads.
/// </summary>
public interface ICommandRunner
{
    CommandResult Run(CommandRequest request, CancellationToken cancellation);
}

/// <summary>
/// A recording has no answer for a probe: replay cannot go on, and says which probe was missing.
/// <see cref="RecordedPrograms"/> are the programs the recording does answer (first words of its commands), so a
/// caller can tell a recording of another kind of host.
/// </summary>
public sealed class ReplayMissingException(string message, IReadOnlyCollection<string>? recordedPrograms = null) : Exception(message)
{
    public IReadOnlyCollection<string> RecordedPrograms { get; } = recordedPrograms ?? [];
}
