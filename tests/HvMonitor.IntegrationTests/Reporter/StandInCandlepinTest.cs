using HvMonitor.IntegrationTests.Candlepin;
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
