using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Sources;
using HvMonitor.Reporter.Sending;
using HvMonitor.Shared.Libvirt;

namespace HvMonitor.Reporter.Status;

/// <summary>
/// <c>report -s [-j]</c> (docs/virt-who-compatibility.md, "Status mode (-s, -s -j)"): each source connected and disconnected; each destination
/// with an owner tested by one heartbeat with reporter_id <c>status_test</c>, sections with equal
/// destination settings sharing it as they share sending (grouped as virt-who groups them: docs/virt-who-compatibility.md, "Status mode (-s, -s -j)"); the last job looked up; and
/// run_data.json's last successes shown, so a status run beside the daemon shows the daemon's last send.
/// Messages are virt-who's texts. Exit 0 always, as virt-who.
/// </summary>
public static class StatusRun
{
    public const string StatusReporterId = "status_test";

    public static int Run(IReadOnlyList<ReportSection> sections, bool json, ReporterRunOptions options, TextWriter stdout, IReporterLog log)
    {
        var runData = new RunData(options.Paths, log);
        runData.EnsureEntries(sections.Select(s => s.Name));
        var state = runData.Read();
        var destinations = new Dictionary<CandlepinSettings, DestinationCheck>();
        var results = new List<ConfigurationStatus>();
        foreach (var section in sections.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            if (!destinations.TryGetValue(section.Destination, out var check))
                destinations[section.Destination] = check = new DestinationCheck(section.Destination, log);
            results.Add(Check(section, state, check));
        }
        stdout.Write(json ? StatusFormatter.Json(results) : StatusFormatter.Text(results));
        stdout.Flush();
        return 0;
    }

    private static ConfigurationStatus Check(ReportSection section, RunData.Content state, DestinationCheck destination)
    {
        string? sourceMessage = null;
        try
        {
            section.Source.TestConnection(CancellationToken.None);
        }
        catch (ReportSourceException e)
        {
            // virt-who shows libvirt's own text, without naming the URI again.
            sourceMessage = e.InnerException is LibvirtException l ? l.LibvirtMessage : e.Message;
        }
        var side = destination.Heartbeat();
        string? jobStatus = null;
        if (side.Success && RunData.Text(state, false, section.Name, "last_job_id") is { } jobId)
            jobStatus = destination.JobState(jobId);
        return new ConfigurationStatus(
            section.Name,
            new StatusSide(section.Source.Connection, sourceMessage),
            RunData.Text(state, true, section.Name, "last_successful_retrieve"),
            RunData.Number(state, section.Name, "hypervisors"),
            RunData.Number(state, section.Name, "guests"),
            side,
            RunData.Text(state, false, section.Name, "last_successful_send"),
            jobStatus);
    }

    /// <summary>One destination's test, made once however many sections share it: the heartbeat, and each job asked once.</summary>
    private sealed class DestinationCheck(CandlepinSettings settings, IReporterLog log)
    {
        private readonly CandlepinClient _client = new(settings, ClientIdentity.Create(), log);
        private readonly Dictionary<string, string> _jobs = new(StringComparer.Ordinal);
        private StatusSide? _side;

        public StatusSide Heartbeat() => _side ??= Test();

        private StatusSide Test()
        {
            if (string.IsNullOrEmpty(settings.Owner))
                return new StatusSide("", null); // no owner: no destination test, success
            try
            {
                // virt-who appends '.' to every message, this one included: its JSON shows "accessible..".
                if (!_client.HeartbeatAsync(settings.Owner, StatusReporterId, CancellationToken.None).GetAwaiter().GetResult())
                    return new StatusSide(settings.Hostname, $"Specified owner '{settings.Owner}' is not accessible.");
            }
            catch (CandlepinException e)
            {
                return new StatusSide(settings.Hostname, $"Error during status connection: {e.PythonSocketText ?? e.Message}");
            }
            return new StatusSide(settings.Hostname, null);
        }

        public string JobState(string jobId)
        {
            if (_jobs.TryGetValue(jobId, out var known))
                return known;
            string state;
            try
            {
                state = _client.GetJobAsync(jobId, CancellationToken.None).GetAwaiter().GetResult().State;
            }
            catch (Exception e) when (e is CandlepinException or System.Text.Json.JsonException)
            {
                log.Debug($"The state of job {jobId} could not be looked up: {e.Message}");
                state = "UNKNOWN";
            }
            return _jobs[jobId] = state;
        }
    }
}
