using HvMonitor.Collector.Backends;
using HvMonitor.Collector.Model;

namespace HvMonitor.Collector.App;

/// <summary>The outcome of one collection: the envelope to print, plus warnings for the operator.</summary>
public sealed record CollectionResult(Envelope Envelope, IReadOnlyList<string> Warnings);

/// <summary>
/// Runs a backend under a deadline and wraps whatever it produced in the LibreNMS envelope.
/// Never throws for hypervisor trouble: every failure becomes error ≠ 0 with a precise errorString.
/// </summary>
public static class CollectionRun
{
    public static CollectionResult Run(BackendKind kind, BackendSettings settings, TimeSpan timeout)
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
                BackendRegistry.Create(kind, settings).Collect(sink, cancellation.Token);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = "collector" };
        worker.Start();
        bool finished = worker.Join(timeout);
        if (!finished)
            cancellation.Cancel();

        var data = HvDataBuilder.Build(hv, sink.Vms);
        var warnings = sink.Warnings;
        if (!finished)
        {
            return Failed(data, warnings, ErrorCodes.BackendFailed,
                $"collection did not finish within {timeout.TotalSeconds:0.###} s (is the hypervisor responding?); " +
                $"{data.VMs.Count} VM(s) were collected before the deadline");
        }
        return failure switch
        {
            null => new CollectionResult(new Envelope { Data = data, ErrorString = WarningSummary(warnings) }, warnings),
            BackendException be => Failed(data, warnings, be.ErrorCode, be.Message),
            _ => Failed(data, warnings, ErrorCodes.BackendFailed, $"{hv} backend failed unexpectedly: {failure.GetType().Name}: {failure.Message}"),
        };
    }

    private static CollectionResult Failed(HvData data, IReadOnlyList<string> warnings, int code, string message) =>
        new(new Envelope { Error = code, ErrorString = message, Data = data }, warnings);

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
