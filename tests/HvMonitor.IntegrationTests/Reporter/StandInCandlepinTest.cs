using HvMonitor.IntegrationTests.Reporter.Candlepin;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter;

/// <summary>
/// A test class with its own stand-in Candlepin (a fresh test PKI, the server started before each test and
/// stopped after it) and, when it asks for one, a reporter sandbox (a --sysroot) pointing at that server.
/// </summary>
public abstract class StandInCandlepinTest : IAsyncLifetime
{
    /// <summary>Two guest UUIDs for hand-made test hosts.</summary>
    protected const string GuestA = "aaaaaaaa-0000-4000-8000-000000000001";
    protected const string GuestB = "bbbbbbbb-0000-4000-8000-000000000002";

    private ReporterSandbox? _box;

    protected StandInCandlepinTest() => Server = new StandInCandlepin(Pki);

    protected TestPki Pki { get; } = new();
    protected StandInCandlepin Server { get; }
    protected ReporterSandbox Box => _box ??= new ReporterSandbox(Server, Pki);

    /// <summary>How long a daemon test waits for something the short test timings make happen in seconds.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Requests the stand-in answered with <paramref name="status"/> whose path (after the prefix) starts so.</summary>
    protected int Count(string method, string pathStart, int status = 200) =>
        Server.Requests.Count(r => r.Method == method && r.PathAfterPrefix.StartsWith(pathStart, StringComparison.Ordinal) && r.Status == status);

    protected void WaitUntil(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"{what} did not happen; the stand-in saw:\n" + string.Join("\n", Server.Requests.Select(r => $"{r.At:HH:mm:ss.fff} {r.Method} {r.Target} -> {r.Status}")));
            Thread.Sleep(50);
        }
    }

    public virtual Task InitializeAsync()
    {
        Server.Start();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _box?.Dispose();
        Pki.Dispose();
    }
}
