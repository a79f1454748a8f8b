using HvMonitor.Reporter.Sources;

namespace HvMonitor.Reporter.Sending;

/// <summary>
/// What the daemon's destination loop does with a destination each cycle (in virt-who's order: poll the
/// job in flight, heartbeat, send what changed). <see cref="Destination"/> does it against Candlepin; unit
/// tests drive the loop's timing with a fake one and a hand-moved clock.
/// </summary>
public interface IDestination
{
    /// <summary>Sections sending here, sorted.</summary>
    IReadOnlyList<string> Sections { get; }

    string Name { get; }

    /// <summary>Polls the job of the previous check-in; returns the sections whose job is still processing.</summary>
    Task<IReadOnlySet<string>> PollPendingJobAsync(CancellationToken wait, CancellationToken http);

    Task HeartbeatAsync(CancellationToken http);

    Task<SendOutcome> SendChangedAsync(Func<string, SourceReport?> reportOf, IReadOnlySet<string> skip, CancellationToken wait, CancellationToken http);
}
