using System.Globalization;
using HvMonitor.Collector.Backends;
using HvMonitor.Collector.Facts;
using HvMonitor.Collector.Model;
using HvMonitor.Shared.Commands;
using HvMonitor.Shared.Text;

namespace HvMonitor.Collector.App;

/// <summary>
/// The outcome of one collection: the envelope to print, warnings for the operator, and whether it is
/// complete (every listed VM with all its figures). An incomplete run still has error 0 and what was
/// collected; the program exits with its "incomplete" code (3) so that cron mails it.
/// </summary>
public sealed record CollectionResult(Envelope Envelope, IReadOnlyList<string> Warnings, bool Complete = true)
{
    /// <summary>The facts the envelope was built from (the Prometheus output reads these, not the document).</summary>
    public IReadOnlyList<VmFacts> Facts { get; init; } = [];
    /// <summary>Every VM the hypervisor listed; null when it never answered.</summary>
    public IReadOnlyList<string>? Listed { get; init; }
}

/// <summary>
/// Runs a backend under a deadline and wraps whatever it produced in the LibreNMS envelope. Never throws for
/// hypervisor trouble. LibreNMS throws away the whole sample when error ≠ 0 (and still shows the app as OK),
/// so error ≠ 0 means "nothing usable": no VM could be collected (hypervisor unreachable, backend missing,
/// deadline before any VM). Everything short of that is error 0 with the VMs collected and an errorString
/// naming what is missing.
/// </summary>
public static class CollectionRun
{
    /// <summary>At most this many missing VMs are named in errorString; it travels in the same UDP datagram as the data.</summary>
    private const int MissingNamesShown = 10;

    public static CollectionResult Run(BackendKind kind, BackendSettings settings, TimeSpan timeout) =>
        Run(kind, deadline => BackendRegistry.Create(kind, settings, deadline), timeout);

    /// <summary>The same, with a backend the caller builds (the exporter's, on its long-lived connection); the
    /// factory gets the run's deadline.</summary>
    public static CollectionResult Run(BackendKind kind, Func<CancellationToken, IHypervisorBackend> createBackend, TimeSpan timeout)
    {
        string hv = BackendRegistry.HvName(kind);
        var sink = new CollectionSink();
        using var cancellation = new CancellationTokenSource();
        Exception? failure = null;

        // The backend runs on its own thread so a hung libvirt call cannot hold the run past the deadline;
        // on time-out we report what was collected and let process exit reclaim the thread.
        var worker = new Thread(() =>
        {
            try
            {
                createBackend(cancellation.Token).Collect(sink, cancellation.Token);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                failure = AsBackendFailure(e, kind);
            }
        })
        { IsBackground = true, Name = "collector" };
        worker.Start();
        bool finished = worker.Join(timeout);
        if (!finished)
            cancellation.Cancel();

        // Taken once: a timed-out worker may still add VMs while we build.
        return Outcome(hv, sink.Vms, sink.Warnings, sink.ListedNames, deadlinePassed: !finished, failure, timeout);
    }

    /// <summary>
    /// A replay that lacks one of the probes a backend asked for (the recording does not match this program) is a
    /// failure of the whole run with the replay's own message, for every backend; Parallel.ForEach wraps it.
    /// </summary>
    private static Exception AsBackendFailure(Exception e, BackendKind kind) =>
        (e as ReplayMissingException ?? (e as AggregateException)?.InnerExceptions.OfType<ReplayMissingException>().FirstOrDefault()) is { } missing
            ? new BackendException(ErrorCodes.BackendFailed, missing.Message + OtherBackendHint(missing.RecordedPrograms, kind), missing)
            : e;

    /// <summary>
    /// A recording of the other kind of host (a CBSD host's replayed with the Linux default backend, or the reverse)
    /// lacks the very first probe; say which -b it wants instead of leaving the user with the missing probe alone.
    /// </summary>
    public static string OtherBackendHint(IReadOnlyCollection<string> recordedPrograms, BackendKind kind)
    {
        bool cbsd = recordedPrograms.Any(p => p == "cbsd" || p.EndsWith("/cbsd", StringComparison.Ordinal));
        bool libvirt = recordedPrograms.Contains("virsh") || recordedPrograms.Contains("libvirt");
        return (kind, cbsd, libvirt) switch
        {
            (BackendKind.Libvirt, true, false) => "; it is a recording of a CBSD host (it answers 'cbsd' commands): replay it with -b CBSD",
            (BackendKind.Cbsd, false, true) => "; it is a recording of a libvirt host (it answers 'virsh' probes): replay it with -b Libvirt",
            _ => "",
        };
    }

    /// <summary>
    /// The envelope for what a backend produced before it finished, failed (<paramref name="failure"/>) or was
    /// cut off by the deadline; <paramref name="listed"/> is every VM the hypervisor listed, if it answered. Pure.
    /// </summary>
    public static CollectionResult Outcome(string hv, IReadOnlyList<VmFacts> vms, IReadOnlyList<string> warnings,
        IReadOnlyList<string>? listed, bool deadlinePassed, Exception? failure, TimeSpan timeout) =>
        EnvelopeFor(hv, vms, warnings, listed, deadlinePassed, failure, timeout) with { Facts = vms, Listed = listed };

    private static CollectionResult EnvelopeFor(string hv, IReadOnlyList<VmFacts> vms, IReadOnlyList<string> warnings,
        IReadOnlyList<string>? listed, bool deadlinePassed, Exception? failure, TimeSpan timeout)
    {
        var data = HvDataBuilder.Build(hv, vms);
        string? problem = (deadlinePassed, failure) switch
        {
            (true, _) => string.Create(CultureInfo.InvariantCulture,
                $"collection did not finish within {timeout.TotalSeconds:0.###} s (is the hypervisor responding?)"),
            (false, BackendException be) => MessageText.Bound(be.Message),
            (false, { } e) => MessageText.Bound($"{hv} backend failed unexpectedly: {e.GetType().Name}: {e.Message}"),
            _ => null,
        };
        if (problem is null)
            return new CollectionResult(new Envelope { Data = data, ErrorString = WarningSummary(warnings) }, warnings, warnings.Count == 0);

        if (data.VMs.Count == 0)
        {
            int code = failure is BackendException { ErrorCode: var c } ? c : ErrorCodes.BackendFailed;
            var message = listed is { Count: > 0 }
                ? string.Create(CultureInfo.InvariantCulture, $"{problem}; none of the {listed.Count} VM(s) listed was collected")
                : problem;
            return new CollectionResult(new Envelope { Error = code, ErrorString = message, Data = data }, warnings, Complete: false);
        }

        var incomplete = "incomplete: " + problem + "; " + Missing(listed, data);
        if (warnings.Count > 0)
            incomplete += "; also " + WarningSummary(warnings);
        return new CollectionResult(new Envelope { ErrorString = incomplete, Data = data }, [.. warnings, incomplete], Complete: false);
    }

    /// <summary>"3 of 5 VMs collected; missing: 'a', 'b'" (names quoted as they are; the encoder makes them safe).</summary>
    private static string Missing(IReadOnlyList<string>? listed, HvData data)
    {
        if (listed is null)
            return string.Create(CultureInfo.InvariantCulture, $"{data.VMs.Count} VM(s) collected; the hypervisor's list of VMs was never received");
        var missing = listed.Where(n => !data.VMs.ContainsKey(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var text = string.Create(CultureInfo.InvariantCulture, $"{data.VMs.Count} of {listed.Count} VM(s) collected");
        if (missing.Count == 0)
            return text;
        text += "; missing: " + string.Join(", ", missing.Take(MissingNamesShown).Select(n => "'" + n + "'"));
        if (missing.Count > MissingNamesShown)
            text += string.Create(CultureInfo.InvariantCulture, $" and {missing.Count - MissingNamesShown} more");
        return text;
    }

    /// <summary>
    /// With error 0 LibreNMS keeps the data and ignores errorString, so per-VM problems go there
    /// for anyone reading the JSON by hand without making LibreNMS throw the whole poll away.
    /// </summary>
    private static string WarningSummary(IReadOnlyList<string> warnings) => warnings.Count switch
    {
        0 => "",
        1 => "warning: " + warnings[0],
        _ => $"{warnings.Count} warnings; first: {warnings[0]}",
    };
}
