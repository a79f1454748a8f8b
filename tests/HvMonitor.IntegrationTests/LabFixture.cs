using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>
/// Brings the real libvirt+QEMU lab up (daemons, bridge, guests) once for the lab tests, and tears the
/// guests down afterwards. If the lab cannot start, every lab test FAILS with the reason: never skipped.
/// While the lab tests run, <see cref="ForeignChurn"/> defines, starts and destroys other guests (not hvm-*)
/// on the same libvirtd, so that every run proves the tests assert only their own guests.
/// </summary>
public sealed class LabFixture : IDisposable
{
    public const string Uri = "qemu:///system";

    private static string LabScript => Path.Combine(RepoPaths.Root, "tests", "lab", "lab.sh");

    private readonly ForeignChurn _churn;

    public LabFixture()
    {
        Lab("start");
        Lab("guests-up");
        // Someone else's guests come and go meanwhile, as on a shared host: the lab tests must not notice.
        _churn = new ForeignChurn();
    }

    public void Dispose()
    {
        _churn.Dispose();
        Lab("guests-down");
    }

    private static void Lab(string command)
    {
        var r = Shell.Run("bash", [LabScript, command], timeout: TimeSpan.FromMinutes(10));
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"the lab could not {command} (tests/lab/lab.sh {command} exited {r.ExitCode}):\n{r.Stderr}\n{r.Stdout}");
    }
}

/// <summary>Lab tests share the guests and must not run in parallel with each other (one stops libvirtd).</summary>
[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "libvirt lab";
}
