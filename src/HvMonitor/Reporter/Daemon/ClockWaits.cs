namespace HvMonitor.Reporter.Daemon;

/// <summary>The daemon's waits on its <see cref="TimeProvider"/>, so unit tests move time by hand instead of sleeping.</summary>
public static class ClockWaits
{
    /// <summary>
    /// Waits for the semaphore or until <paramref name="timeout"/> has passed on <paramref name="time"/>:
    /// true when the semaphore was taken. Throws <see cref="OperationCanceledException"/> when stopped.
    /// </summary>
    public static async Task<bool> WaitAsync(SemaphoreSlim signal, TimeSpan timeout, TimeProvider time, CancellationToken stop)
    {
        if (timeout <= TimeSpan.Zero)
            return signal.Wait(0, CancellationToken.None);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var taken = signal.WaitAsync(done.Token);
        var expired = Task.Delay(timeout, time, done.Token);
        await Task.WhenAny(taken, expired).ConfigureAwait(false);
        done.Cancel(); // withdraws whichever still waits; a semaphore taken meanwhile stays taken (below)
        stop.ThrowIfCancellationRequested();
        try
        {
            await taken.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A plain wait on the clock; a negative time (the clock moved on meanwhile) waits zero.</summary>
    public static Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken stop) =>
        Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, time, stop);
}
