using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Candlepin;

namespace HvMonitor.Reporter.Sending;

/// <summary>
/// One Candlepin destination: the sections whose settings are equal (docs/virt-who-compatibility.md, "Destinations and rhsm.conf"), one identity
/// (correlation id), one heartbeat and one batched check-in per cycle. It remembers what was delivered
/// (the hash of "Jobs and change detection", kept only once the job FINISHED) and the job in flight, so a report that did not
/// arrive is sent again at the next cycle: nothing is lost.
/// </summary>
/// <remarks>Two tokens: <c>wait</c> ends the waits (SIGTERM); <c>http</c> only a request past the stop
/// grace, so no request is cut in half.</remarks>
public sealed partial class Destination : IDestination
{
    private readonly ReporterRunOptions _options;
    private readonly IReporterLog _log;
    private readonly RunData _runData;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, string> _delivered = new(StringComparer.Ordinal);
    // Jobs of check-ins not yet known to be finished. Usually one; an event-triggered send (docs/virt-who-compatibility.md, D7)
    // can add a second before the first was polled. A section lives in at most one of them.
    private readonly List<PendingJob> _pending = [];

    private sealed record PendingJob(string JobId, Dictionary<string, string> Hashes);

    public Destination(CandlepinSettings settings, IEnumerable<string> sections, ReporterRunOptions options, IReporterLog log, RunData runData)
    {
        Settings = settings;
        Sections = sections.Order(StringComparer.Ordinal).ToList();
        _options = options;
        // log_per_config: each destination logs to its own file, as virt-who's destination loggers do.
        _log = log.ForLogger(ReporterLogFiles.DestinationLoggerName(Sections));
        _runData = runData;
        _time = options.Time;
        Client = new CandlepinClient(settings, ClientIdentity.Create(), _log);
    }

    public CandlepinSettings Settings { get; }
    /// <summary>The section names, sorted (virt-who sorts them per destination).</summary>
    public IReadOnlyList<string> Sections { get; }
    private CandlepinClient Client { get; }
    public string Name => string.Join(",", Sections);
    private string? Owner => string.IsNullOrEmpty(Settings.Owner) ? null : Settings.Owner;

    /// <summary>Groups sections by equal destination settings, in section-name order (docs/virt-who-compatibility.md, D8).</summary>
    public static List<Destination> For(IEnumerable<ReportSection> sections, ReporterRunOptions options, IReporterLog log, RunData runData) =>
        sections.GroupBy(s => s.Destination)
            .Select(g => new Destination(g.Key, g.Select(s => s.Name), options, log, runData))
            .OrderBy(d => d.Sections[0], StringComparer.Ordinal)
            .ToList();

    /// <summary>True when exactly this report is already in a job that has not finished: not sent again meanwhile.</summary>
    private bool InFlight(string section, string hash) => _pending.Any(p => p.Hashes.TryGetValue(section, out var h) && h == hash);

    private void AddPending(string jobId, IEnumerable<(string Section, string Hash)> sent)
    {
        var hashes = sent.ToDictionary(s => s.Section, s => s.Hash, StringComparer.Ordinal);
        foreach (var older in _pending)
        {
            foreach (var section in hashes.Keys)
                older.Hashes.Remove(section);
        }
        _pending.RemoveAll(p => p.Hashes.Count == 0);
        _pending.Add(new PendingJob(jobId, hashes));
    }

    /// <summary>The heartbeat of every cycle, after the job poll (virt-who's order); failures are only logged.</summary>
    public async Task HeartbeatAsync(CancellationToken http)
    {
        if (Owner is not { } owner)
            return;
        try
        {
            await Client.HeartbeatAsync(owner, _options.ReporterId, http).ConfigureAwait(false);
        }
        catch (CandlepinException e) when (e.Failure == CandlepinFailure.Throttled)
        {
            _log.Debug($"Error during heartbeat: {e.Message}");
        }
        catch (CandlepinException e)
        {
            _log.Error($"Error during heartbeat: {e.Message}");
        }
    }

    /// <summary>
    /// Polls the job of the previous check-in (after the poll delay; only a 429 is repeated). Returns the
    /// sections to skip this cycle because their job is still processing.
    /// </summary>
    public async Task<IReadOnlySet<string>> PollPendingJobAsync(CancellationToken wait, CancellationToken http)
    {
        var skip = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pending in _pending.ToList())
        {
            var status = await PollOnceAsync(pending.JobId, wait, http).ConfigureAwait(false);
            if (status?.Outcome == JobOutcome.Processing)
            {
                _log.Warning($"Job {pending.JobId} has not finished processing. Will check after next interval.");
                skip.UnionWith(pending.Hashes.Keys);
                continue;
            }
            _pending.Remove(pending);
            if (status?.Outcome == JobOutcome.Finished)
            {
                foreach (var (section, hash) in pending.Hashes)
                    _delivered[section] = hash;
            }
        }
        return skip;
    }

    /// <summary>One GET of the job after the poll delay, repeated only after a 429; null when the poll ended in an error.</summary>
    public async Task<JobStatus?> PollOnceAsync(string jobId, CancellationToken wait, CancellationToken http)
    {
        var delay = _options.Timing.JobPollDelay;
        while (true)
        {
            await Task.Delay(delay, _time, wait).ConfigureAwait(false);
            try
            {
                var status = await Client.GetJobAsync(jobId, http).ConfigureAwait(false);
                LogJob(status);
                return status;
            }
            catch (CandlepinException e) when (e.Failure == CandlepinFailure.Throttled)
            {
                delay = e.RetryAfter(_options.Timing.ThrottleDefault);
                _log.Debug($"Job status check throttled, retrying after {delay.TotalSeconds:0} seconds");
            }
            catch (CandlepinException e)
            {
                _log.Error($"Error during job check: {e.Message}");
                return null;
            }
        }
    }

    private void LogJob(JobStatus status)
    {
        if (status.Outcome == JobOutcome.Processing)
            return;
        if (status.ResultDataProblem is { } problem)
            _log.Warning(problem);
        foreach (var failed in status.FailedUpdates)
            _log.Error($"Error during update list of guests: {failed}");
        if (status.Outcome == JobOutcome.Finished)
            _log.Info($"Mapping for config \"{Name}\" updated");
        else
            _log.Error($"Job {status.Id} ended in state {status.State}; the report will be sent again");
    }
}
