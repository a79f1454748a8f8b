using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Sending;
using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Model;

namespace HvMonitor.Reporter.Status;

/// <summary>
/// <c>report -s [-j]</c> (virt-who.md §4.2–4.3): each source connected and disconnected, each destination
/// with an owner tested by a heartbeat with reporter_id <c>status_test</c>, the last job looked up, and
/// run_data.json's last successes shown, so a status run beside the daemon shows the daemon's last send.
/// Exit 0 always, as virt-who.
/// </summary>
public static class StatusRun
{
    public const string StatusReporterId = "status_test";

    public static int Run(IReadOnlyList<ReportSection> sections, bool json, ReporterRunOptions options, TextWriter stdout, IReporterLog log)
    {
        var runData = new RunData(options.Paths, log);
        runData.EnsureEntries(sections.Select(s => s.Name));
        var state = runData.Read();
        var results = sections.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => Check(s, state, log)).ToList();
        stdout.Write(json ? StatusFormatter.Json(results) : StatusFormatter.Text(results));
        stdout.Flush();
        return 0;
    }

    private static ConfigurationStatus Check(ReportSection section, RunData.Content state, IReporterLog log)
    {
        string? sourceMessage = null;
        try
        {
            section.Source.TestConnection(CancellationToken.None);
        }
        catch (ReportSourceException e)
        {
            sourceMessage = e.Message;
        }
        var (destination, jobStatus) = CheckDestination(section, RunData.Text(state, false, section.Name, "last_job_id"), log);
        return new ConfigurationStatus(
            section.Name,
            new StatusSide(section.Source.Connection, sourceMessage),
            RunData.Text(state, true, section.Name, "last_successful_retrieve"),
            RunData.Number(state, section.Name, "hypervisors"),
            RunData.Number(state, section.Name, "guests"),
            destination,
            RunData.Text(state, false, section.Name, "last_successful_send"),
            jobStatus);
    }

    private static (StatusSide Side, string? JobStatus) CheckDestination(ReportSection section, string? lastJobId, IReporterLog log)
    {
        var settings = section.Destination;
        if (string.IsNullOrEmpty(settings.Owner))
            return (new StatusSide("", null), null);
        var client = new CandlepinClient(settings, ClientIdentity.Create(), log);
        try
        {
            if (!client.HeartbeatAsync(settings.Owner, StatusReporterId, CancellationToken.None).GetAwaiter().GetResult())
                return (new StatusSide(settings.Hostname, $"Specified owner '{settings.Owner}' is not accessible."), null);
        }
        catch (CandlepinException e)
        {
            return (new StatusSide(settings.Hostname, $"Error during status connection: {e.Message}"), null);
        }
        if (lastJobId is null)
            return (new StatusSide(settings.Hostname, null), null);
        try
        {
            return (new StatusSide(settings.Hostname, null), client.GetJobAsync(lastJobId, CancellationToken.None).GetAwaiter().GetResult().State);
        }
        catch (Exception e) when (e is CandlepinException or System.Text.Json.JsonException)
        {
            log.Debug($"The state of job {lastJobId} could not be looked up: {e.Message}");
            return (new StatusSide(settings.Hostname, null), "UNKNOWN");
        }
    }
}
