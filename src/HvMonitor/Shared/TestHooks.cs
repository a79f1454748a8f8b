using System.Globalization;

namespace HvMonitor.Shared;

/// <summary>
/// The one door the end-to-end tests have into the published binary, read once at a program's entry and passed down
/// from there; nothing else in hv-monitor reads a test-only setting. Unset (always, outside the tests) it changes nothing.
/// <list type="bullet">
/// <item><c>HV_MONITOR_TEST_STALL_AFTER_DOMAINS=N</c> (collector, libvirt): the per-domain work hangs after N domains,
/// as on a libvirtd that stops answering mid-run, so that the deadline is hit with some domains collected
/// (tests/HvMonitor.IntegrationTests/DeadlineTests.cs). No timing trick can make that deterministic on a real daemon.</item>
/// <item><c>HV_MONITOR_TEST_TIMING=interval=2,jobpoll=0.5,...</c> (reporter): shorter daemon waits, so the
/// end-to-end tests can watch several cycles in seconds (parsed by Reporter.Sending.ReporterTiming).</item>
/// </list>
/// </summary>
public sealed record TestHooks
{
    public const string StallAfterDomainsVariable = "HV_MONITOR_TEST_STALL_AFTER_DOMAINS";

    public const string ReporterTimingVariable = "HV_MONITOR_TEST_TIMING";

    public static TestHooks None { get; } = new();

    /// <summary>null: virt-who's own waits.</summary>
    public string? ReporterTiming { get; init; }

    /// <summary>null: no stall.</summary>
    public int? StallAfterDomains { get; init; }

    public static TestHooks FromEnvironment() => new()
    {
        StallAfterDomains = int.TryParse(Environment.GetEnvironmentVariable(StallAfterDomainsVariable), NumberStyles.None,
            CultureInfo.InvariantCulture, out var n) ? n : null,
        ReporterTiming = Environment.GetEnvironmentVariable(ReporterTimingVariable),
    };
}
