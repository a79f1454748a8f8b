using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Json;
using HvMonitor.Reporter.Sources;

namespace HvMonitor.Reporter.Print;

/// <summary>
/// The -p document (docs/virt-who-compatibility.md, "Print mode (-p)"): <c>{"hypervisors": [...]}</c> with a local report as
/// <c>{"guestIds": [...]}</c> and a remote hypervisor as <c>{"hypervisorId": {"hypervisorId": ID}, "name",
/// "guestIds", "facts"}</c> (name and facts omitted when empty), guests in collection order. The hypervisor
/// and guest dicts are the ones the check-in sends (<see cref="CandlepinBodies"/>), written indented.
/// </summary>
public static class PrintReport
{
    /// <summary>json.dumps(document, indent=4) plus the newline print() adds.</summary>
    public static string Render(IEnumerable<SourceReport> reports)
    {
        var w = new PythonJsonWriter(indent: 4);
        w.StartObject().Key("hypervisors").StartArray();
        foreach (var report in reports)
        {
            switch (report)
            {
                case DomainListReport local:
                    w.StartObject().Key("guestIds").StartArray();
                    foreach (var guest in local.Guests)
                        CandlepinBodies.WriteGuest(w, guest);
                    w.EndArray().EndObject();
                    break;
                case HostGuestReport remote:
                    foreach (var hypervisor in remote.Hypervisors)
                        CandlepinBodies.WriteHypervisor(w, hypervisor, sortGuests: false);
                    break;
            }
        }
        w.EndArray().EndObject();
        return w + "\n";
    }
}
