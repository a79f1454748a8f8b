using System.Collections.Concurrent;
using HvMonitor.Reporter.Sources;

namespace HvMonitor.Reporter.Daemon;

/// <summary>
/// The latest report of every source, handed from the source loops to the destination loops (virt-who's
/// datastore). Reports are immutable, so readers get them without copying. A report put after a libvirt
/// event also wakes the destinations (docs/virt-who-compatibility.md, D7).
/// </summary>
public sealed class ReportStore
{
    private readonly ConcurrentDictionary<string, SourceReport> _reports = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Action<string>> _eventListeners = [];

    public void Put(SourceReport report, bool afterEvent)
    {
        _reports[report.ConfigName] = report;
        if (afterEvent)
        {
            foreach (var listener in _eventListeners)
                listener(report.ConfigName);
        }
    }

    public SourceReport? Get(string configName) => _reports.TryGetValue(configName, out var r) ? r : null;

    /// <summary>Called with the section name whenever a report arrives because of an event.</summary>
    public void OnEventReport(Action<string> listener) => _eventListeners.Add(listener);
}
