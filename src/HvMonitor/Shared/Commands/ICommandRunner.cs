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

/// <summary>A recording has no answer for a probe: replay cannot go on, and says which probe was missing.</summary>
public sealed class ReplayMissingException(string message) : Exception(message);
