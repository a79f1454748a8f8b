using HvMonitor.Reporter.Model;

namespace HvMonitor.Reporter.Print;

/// <summary>
/// The -p document (virt-who.md §4.1): <c>{"hypervisors": [...]}</c> with a local report as
/// <c>{"guestIds": [...]}</c> and a remote hypervisor as <c>{"hypervisorId": {"hypervisorId": ID}, "name",
/// "guestIds", "facts"}</c> (name and facts omitted when empty), guests in collection order.
/// </summary>
public static class PrintReport
{
    public static PyObject Document(IEnumerable<SourceReport> reports)
    {
        var entries = new List<PyJson>();
        foreach (var report in reports)
        {
            switch (report)
            {
                case DomainListReport local:
                    entries.Add(Obj(("guestIds", Guests(local.Guests))));
                    break;
                case HostGuestReport remote:
                    entries.AddRange(remote.Hypervisors.Select(Hypervisor));
                    break;
            }
        }
        return Obj(("hypervisors", new PyArray(entries)));
    }

    /// <summary>json.dumps(document, indent=4) plus the newline print() adds.</summary>
    public static string Render(IEnumerable<SourceReport> reports) => PythonJson.Dumps(Document(reports), indent: 4) + "\n";

    public static PyObject Hypervisor(Hypervisor h)
    {
        var members = new List<KeyValuePair<string, PyJson>> { new("hypervisorId", Obj(("hypervisorId", PyJson.Of(h.HypervisorId)))) };
        if (!string.IsNullOrEmpty(h.Name))
            members.Add(new("name", PyJson.Of(h.Name)));
        members.Add(new("guestIds", Guests(h.Guests)));
        if (h.Facts.Count > 0)
            members.Add(new("facts", new PyObject(h.Facts.Select(f => new KeyValuePair<string, PyJson>(f.Key, Fact(f))).ToList())));
        return new PyObject(members);
    }

    public static PyArray Guests(IEnumerable<Guest> guests) => new(guests.Select(Guest).ToList());

    public static PyObject Guest(Guest g) => Obj(
        ("guestId", PyJson.Of(g.GuestId)),
        ("state", PyJson.Of(g.State)),
        ("attributes", Obj(("virtWhoType", PyJson.Of(g.VirtWhoType)), ("active", PyJson.Of(g.Active ? 1 : 0)))));

    private static PyJson Fact(Fact f) => f.Number is { } n ? PyJson.Of(n) : PyJson.Of(f.Text);

    private static PyObject Obj(params (string Key, PyJson Value)[] members) =>
        new(members.Select(m => new KeyValuePair<string, PyJson>(m.Key, m.Value)).ToList());
}
