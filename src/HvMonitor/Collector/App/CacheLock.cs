namespace HvMonitor.Collector.App;

/// <summary>
/// An exclusive lock on BASE.lock so that of several concurrent runs (snmpd retries, cron) only one
/// collects; the others wait and then serve what it wrote. Uses .NET's FileShare.None, which on Unix
/// is an advisory flock(LOCK_EX|LOCK_NB) released when the file is closed, even if the process dies.
/// </summary>
public sealed class CacheLock : IDisposable
{
    private readonly FileStream _stream;

    private CacheLock(FileStream stream) => _stream = stream;

    /// <summary>Waits up to <paramref name="wait"/> for the lock; null if another run still holds it then.</summary>
    public static CacheLock? Acquire(string path, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                var stream = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.OpenOrCreate,
                    Access = FileAccess.Read, // flock needs no write access, so any user who can read the lock can take it
                    Share = FileShare.None,
                    UnixCreateMode = Output.AtomicFile.WorldReadable,
                });
                return new CacheLock(stream);
            }
            catch (IOException) when (File.Exists(path) && DateTime.UtcNow < deadline)
            {
                // Held by another run: poll, since flock offers no wait with a time limit.
                Thread.Sleep(25);
            }
            catch (IOException) when (File.Exists(path))
            {
                return null;
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
