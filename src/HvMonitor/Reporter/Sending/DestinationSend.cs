using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Sources;
using HvMonitor.Reporter.Json;

namespace HvMonitor.Reporter.Sending;

/// <summary>What one send did, per section: delivered at once (legacy, local), submitted as a job, or failed.</summary>
public sealed record SendOutcome(IReadOnlyList<string> Delivered, IReadOnlyList<string> Submitted, IReadOnlyList<string> Failed, string? JobId);

public sealed partial class Destination
{
    /// <summary>
    /// Sends every report that changed since its last delivery (docs/virt-who-compatibility.md, "Jobs and change detection"): host/guest reports batched into one
    /// check-in, local reports each as a consumer update. A 429 is waited out (Retry-After, else 30 s) and
    /// the send repeated; any other error is logged and the report stays unsent for the next cycle.
    /// </summary>
    /// <param name="skip">Sections whose previous job is still processing.</param>
    public async Task<SendOutcome> SendChangedAsync(Func<string, SourceReport?> reportOf, IReadOnlySet<string> skip, CancellationToken wait, CancellationToken http)
    {
        var delivered = new List<string>();
        var submitted = new List<string>();
        var failed = new List<string>();
        var batch = new List<(string Section, HostGuestReport Report, string Hash)>();
        foreach (var section in Sections.Where(s => !skip.Contains(s)))
        {
            var report = reportOf(section);
            if (report is null)
                continue;
            var hash = CandlepinBodies.Hash(report);
            if (_delivered.TryGetValue(section, out var last) && last == hash)
            {
                _log.Debug($"Duplicate report found for config \"{section}\", ignoring");
                delivered.Add(section);
                continue;
            }
            if (InFlight(section, hash))
            {
                submitted.Add(section);
                continue;
            }
            switch (report)
            {
                case HostGuestReport hg when hg.Hypervisors.Count == 0:
                    _delivered.Remove(section); // an empty report is never batched
                    delivered.Add(section);
                    break;
                case HostGuestReport hg:
                    _log.Info($"Hosts-to-guests mapping for config \"{section}\": {hg.Hypervisors.Count} hypervisors and {hg.Hypervisors.Sum(h => h.Guests.Count)} guests found");
                    batch.Add((section, hg, hash));
                    break;
                case DomainListReport local:
                    (await SendLocalAsync(section, local, hash, wait, http).ConfigureAwait(false) ? delivered : failed).Add(section);
                    break;
            }
        }
        string? jobId = null;
        if (batch.Count > 0)
        {
            var result = await CheckInAsync(batch, wait, http).ConfigureAwait(false);
            if (result is null)
                failed.AddRange(batch.Select(b => b.Section));
            else if (result.JobId is null)
                delivered.AddRange(batch.Select(b => b.Section));
            else
            {
                submitted.AddRange(batch.Select(b => b.Section));
                jobId = result.JobId;
            }
        }
        return new SendOutcome(delivered, submitted, failed, jobId);
    }

    private async Task<CheckInResult?> CheckInAsync(List<(string Section, HostGuestReport Report, string Hash)> batch, CancellationToken wait, CancellationToken http)
    {
        if (Owner is not { } owner)
        {
            _log.Error($"Unable to send the report of \"{Name}\": no owner is set for this destination");
            return null;
        }
        var hypervisors = batch.SelectMany(b => b.Report.Hypervisors).ToList();
        foreach (var id in hypervisors.GroupBy(h => h.HypervisorId).Where(g => g.Count() > 1).Select(g => g.Key))
            _log.Warning($"The hypervisor id '{id}' is assigned to 2 different systems. Only one will be recorded at the server.");
        _log.Info($"Sending updated Host-to-guest mapping to \"{owner}\" including {hypervisors.Count} hypervisors and {hypervisors.Sum(h => h.Guests.Count)} guests");
        _log.Debug($"Host-to-guest mapping being sent to '{owner}': {IndentedMapping(hypervisors)}");
        while (true)
        {
            try
            {
                var result = await Client.CheckInAsync(owner, _options.ReporterId, hypervisors, http).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                foreach (var (section, report, hash) in batch)
                {
                    _runData.RecordRetrieve(section, report.CreatedUtc, report.Hypervisors.Count, report.Hypervisors.Sum(h => h.Guests.Count));
                    _runData.RecordSend(section, now, result.JobId, withJobField: true);
                    if (result.JobId is null)
                        _delivered[section] = hash;
                }
                if (result.JobId is not null)
                    AddPending(result.JobId, batch.Select(b => (b.Section, b.Hash)));
                return result;
            }
            catch (CandlepinException e) when (e.Failure == CandlepinFailure.Throttled)
            {
                var delay = e.RetryAfter(_options.Timing.ThrottleDefault);
                _log.Info($"Rate limit exceeded while sending host-guest mapping, please see: https://access.redhat.com/solutions/2212941. Retrying after: {delay.TotalSeconds:0} seconds.");
                await Task.Delay(delay, _time, wait).ConfigureAwait(false);
            }
            catch (CandlepinException e)
            {
                _log.Error($"Error during hypervisor checkin: {e.Message}");
                return null;
            }
        }
    }

    private async Task<bool> SendLocalAsync(string section, DomainListReport report, string hash, CancellationToken wait, CancellationToken http)
    {
        _log.Info($"Sending update in guests lists for config \"{section}\": {report.Guests.Count} guests found");
        while (true)
        {
            try
            {
                await Client.UpdateConsumerAsync(report, http).ConfigureAwait(false);
                _delivered[section] = hash;
                _runData.RecordSend(section, _time.GetUtcNow(), null, withJobField: false);
                return true;
            }
            catch (CandlepinException e) when (e.Failure == CandlepinFailure.Throttled)
            {
                var delay = e.RetryAfter(_options.Timing.ThrottleDefault);
                _log.Info($"Rate limit exceeded while sending host-guest mapping, please see: https://access.redhat.com/solutions/2212941. Retrying after: {delay.TotalSeconds:0} seconds.");
                await Task.Delay(delay, _time, wait).ConfigureAwait(false);
            }
            catch (CandlepinException e)
            {
                _log.Error($"Fatal error during send virt guests: {e.Message}");
                return false;
            }
        }
    }

    private static string IndentedMapping(IEnumerable<Hypervisor> hypervisors)
    {
        var w = new PythonJsonWriter(indent: 4);
        w.StartObject().Key("hypervisors").StartArray();
        foreach (var h in hypervisors)
            CandlepinBodies.WriteHypervisor(w, h);
        w.EndArray().EndObject();
        return w.ToString();
    }
}
