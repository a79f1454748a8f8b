using System.Security.Cryptography;
using System.Text;
using HvMonitor.Reporter.Json;
using HvMonitor.Reporter.Sources;

namespace HvMonitor.Reporter.Candlepin;

/// <summary>
/// The request bodies virt-who sends (docs/virt-who-compatibility.md, "Requests") and the hashes its change detection compares
/// ("Jobs and change detection"), byte for byte as Python's json.dumps writes them. Pure functions of the report model.
/// </summary>
public static class CandlepinBodies
{
    /// <summary>Async check-in: <c>{"hypervisors": [...]}</c>, hypervisors in report order, guests sorted by guestId.</summary>
    public static string AsyncCheckIn(IEnumerable<Hypervisor> hypervisors)
    {
        var w = new PythonJsonWriter();
        w.StartObject().Key("hypervisors").StartArray();
        foreach (var h in hypervisors)
            WriteHypervisor(w, h);
        w.EndArray().EndObject();
        return w.ToString();
    }

    /// <summary>Legacy check-in: <c>{"&lt;hypervisorId&gt;": [guests in collection order], ...}</c>.</summary>
    public static string LegacyCheckIn(IEnumerable<Hypervisor> hypervisors)
    {
        var w = new PythonJsonWriter();
        w.StartObject();
        foreach (var h in hypervisors)
        {
            w.Key(h.HypervisorId ?? "None").StartArray();
            foreach (var g in h.Guests)
                WriteGuest(w, g);
            w.EndArray();
        }
        w.EndObject();
        return w.ToString();
    }

    /// <summary>Local consumer update: guests sorted by guestId, as objects when the server has the
    /// <c>guestids</c> resource, else as bare id strings.</summary>
    public static string ConsumerUpdate(DomainListReport report, bool guestObjects)
    {
        var w = new PythonJsonWriter();
        w.StartObject().Key("guestIds").StartArray();
        foreach (var g in SortedGuests(report.Guests))
        {
            if (guestObjects)
                WriteGuest(w, g);
            else
                w.String(g.GuestId);
        }
        w.EndArray().Key("hypervisorId").StartObject().Key("hypervisorId").String(report.HypervisorId).EndObject();
        w.EndObject();
        return w.ToString();
    }

    public static IEnumerable<Guest> SortedGuests(IEnumerable<Guest> guests) =>
        guests.OrderBy(g => g.GuestId, StringComparer.Ordinal);

    /// <summary>
    /// The hypervisor dict (virt-who's Hypervisor.toDict): name omitted when empty, facts when none. Check-ins
    /// send the guests sorted by guestId; print mode (-p) keeps collection order.
    /// </summary>
    public static void WriteHypervisor(PythonJsonWriter w, Hypervisor h, bool sortGuests = true)
    {
        w.StartObject();
        w.Key("hypervisorId").StartObject().Key("hypervisorId").String(h.HypervisorId).EndObject();
        if (!string.IsNullOrEmpty(h.Name))
            w.Key("name").String(h.Name);
        w.Key("guestIds").StartArray();
        foreach (var g in sortGuests ? SortedGuests(h.Guests) : h.Guests)
            WriteGuest(w, g);
        w.EndArray();
        if (h.Facts.Count > 0)
        {
            w.Key("facts").StartObject();
            foreach (var f in h.Facts)
                WriteFactValue(w.Key(f.Key), f);
            w.EndObject();
        }
        w.EndObject();
    }

    public static void WriteGuest(PythonJsonWriter w, Guest g)
    {
        w.StartObject().Key("guestId").String(g.GuestId).Key("state").Number(g.State)
            .Key("attributes").StartObject().Key("virtWhoType").String(g.VirtWhoType).Key("active").Number(g.Active ? 1 : 0).EndObject()
            .EndObject();
    }

    private static void WriteFactValue(PythonJsonWriter w, Fact f)
    {
        if (f.Number is { } n)
            w.Number(n);
        else
            w.String(f.Text);
    }

    /// <summary>
    /// What change detection compares (docs/virt-who-compatibility.md, "Jobs and change detection"). Host/guest: sha256 of the hypervisors sorted by id, keys
    /// sorted (so name and facts count: a libvirt upgrade re-sends). Local: the sorted guests plus the id.
    /// </summary>
    public static string Hash(SourceReport report)
    {
        var w = new PythonJsonWriter();
        switch (report)
        {
            case HostGuestReport hg:
                w.StartObject().Key("hypervisors").StartArray();
                foreach (var h in hg.Hypervisors.OrderBy(h => h.HypervisorId, StringComparer.Ordinal))
                    WriteHypervisorSorted(w, h);
                w.EndArray().EndObject();
                break;
            case DomainListReport dl:
                w.StartArray();
                foreach (var g in SortedGuests(dl.Guests))
                    WriteGuestSorted(w, g);
                w.EndArray();
                break;
        }
        var text = report is DomainListReport local ? w + (local.HypervisorId ?? "None") : w.ToString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static void WriteHypervisorSorted(PythonJsonWriter w, Hypervisor h)
    {
        w.StartObject();
        if (h.Facts.Count > 0)
        {
            w.Key("facts").StartObject();
            foreach (var f in h.Facts.OrderBy(f => f.Key, StringComparer.Ordinal))
                WriteFactValue(w.Key(f.Key), f);
            w.EndObject();
        }
        w.Key("guestIds").StartArray();
        foreach (var g in SortedGuests(h.Guests))
            WriteGuestSorted(w, g);
        w.EndArray();
        w.Key("hypervisorId").StartObject().Key("hypervisorId").String(h.HypervisorId).EndObject();
        if (!string.IsNullOrEmpty(h.Name))
            w.Key("name").String(h.Name);
        w.EndObject();
    }

    private static void WriteGuestSorted(PythonJsonWriter w, Guest g)
    {
        w.StartObject().Key("attributes").StartObject().Key("active").Number(g.Active ? 1 : 0).Key("virtWhoType").String(g.VirtWhoType).EndObject()
            .Key("guestId").String(g.GuestId).Key("state").Number(g.State).EndObject();
    }
}
