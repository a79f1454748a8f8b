using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Json;

namespace HvMonitor.Reporter.Status;

/// <summary>
/// The -s and -s -j layouts (docs/virt-who-compatibility.md, "Status mode (-s, -s -j)"): a banner and coloured success/failure per
/// configuration (colour codes also when piped, as virt-who), or json.dumps(indent=4) with null for
/// unknown values and a message (with virt-who's appended '.') only on failure.
/// </summary>
public static class StatusFormatter
{
    private const string Green = "\u001b[1;32m", Red = "\u001b[1;31m", Reset = "\u001b[0;0m";

    public static string Text(IEnumerable<ConfigurationStatus> configurations)
    {
        var text = new System.Text.StringBuilder();
        text.Append("+-------------------------------------------+\n");
        text.Append("           Configuration Status\n");
        text.Append("+-------------------------------------------+\n");
        foreach (var c in configurations)
        {
            text.Append("Configuration Name: ").Append(c.Name).Append('\n');
            text.Append("Source Status: ").Append(Word(c.Source)).Append('\n');
            text.Append("Destination Status: ").Append(Word(c.Destination)).Append('\n');
            text.Append('\n');
        }
        text.Append('\n');
        return text.ToString();
    }

    private static string Word(StatusSide side) => side.Success ? Green + "success" + Reset : Red + "failure" + Reset;

    public static string Json(IEnumerable<ConfigurationStatus> configurations)
    {
        var w = new PythonJsonWriter(indent: 4);
        w.StartObject().Key("configurations").StartArray();
        foreach (var c in configurations)
        {
            w.StartObject().Key("name").String(c.Name);
            w.Key("source").StartObject().Key("connection").String(c.Source.Connection);
            Status(w, c.Source);
            w.Key("last_successful_retrieve").String(c.LastSuccessfulRetrieve);
            Number(w.Key("hypervisors"), c.Hypervisors);
            Number(w.Key("guests"), c.Guests);
            w.EndObject();
            w.Key("destination").StartObject().Key("connection").String(c.Destination.Connection);
            Status(w, c.Destination);
            w.Key("last_successful_send").String(c.LastSuccessfulSend);
            w.Key("last_successful_send_job_status").String(c.LastJobStatus);
            w.EndObject();
            w.EndObject();
        }
        w.EndArray().EndObject();
        return w + "\n";
    }

    private static void Status(PythonJsonWriter w, StatusSide side)
    {
        w.Key("status").String(side.Success ? "success" : "failure");
        if (side.Message is { } m)
            w.Key("message").String(m + ".");
    }

    private static void Number(PythonJsonWriter w, long? value)
    {
        if (value is { } v)
            w.Number(v);
        else
            w.Null();
    }
}
