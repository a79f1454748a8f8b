using System.Globalization;
using System.Text.Json;
using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Config;
using HvMonitor.Reporter.Json;
using HvMonitor.Reporter.Logging;
using HvMonitor.Shared.Platform;

namespace HvMonitor.Reporter.Sending;

/// <summary>One value of run_data.json: a string, an integer or null.</summary>
public sealed record RunValue(string? Text, long? Number = null)
{
    public static readonly RunValue Null = new((string?)null);
}

/// <summary>
/// /var/lib/virt-who/run_data.json with virt-who's layout (docs/virt-who-compatibility.md, "State file run_data.json"): per section the last
/// successful retrieve (with hypervisor and guest counts) and the last successful send (with its job id).
/// Every change is read-modify-written under flock on /run/virt-who-status.pid (1 s), so a status run
/// beside the daemon sees the daemon's last send.
/// </summary>
public sealed class RunData(ReporterPaths paths, IReporterLog log)
{
    public sealed record Content(
        Dictionary<string, List<KeyValuePair<string, RunValue>>> Sources,
        Dictionary<string, List<KeyValuePair<string, RunValue>>> Destinations);

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>Every run first adds the entries that are missing.</summary>
    public void EnsureEntries(IEnumerable<string> sectionNames) => Update(content =>
    {
        foreach (var name in sectionNames)
        {
            content.Sources.TryAdd(name, [new("last_successful_retrieve", RunValue.Null)]);
            content.Destinations.TryAdd(name, [new("last_successful_send", RunValue.Null), new("last_job_id", RunValue.Null)]);
        }
    });

    public void RecordRetrieve(string section, DateTimeOffset created, int hypervisors, int guests) => Update(content =>
        content.Sources[section] =
        [
            new("last_successful_retrieve", new RunValue(FormatTime(created))),
            new("hypervisors", new RunValue(null, hypervisors)),
            new("guests", new RunValue(null, guests)),
        ]);

    /// <summary>A job id for an async check-in; none for a local update (its entry is then rewritten without it).</summary>
    public void RecordSend(string section, DateTimeOffset sent, string? jobId, bool withJobField) => Update(content =>
        content.Destinations[section] = withJobField
            ? [new("last_successful_send", new RunValue(FormatTime(sent))), new("last_job_id", new RunValue(jobId))]
            : [new("last_successful_send", new RunValue(FormatTime(sent)))]);

    public Content Read()
    {
        using var held = Lock();
        return Load();
    }

    /// <summary>virt-who's lock around run_data.json: waited for 1 s; its directory (/run) is created if missing.</summary>
    private FileLock? Lock()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(paths.StatusLockFile)!);
        return FileLock.TryAcquire(paths.StatusLockFile, TimeSpan.FromSeconds(1));
    }

    private void Update(Action<Content> change)
    {
        try
        {
            using var held = Lock();
            if (held is null)
            {
                log.Error("Unable to record run data. Cannot get lock on file.");
                return;
            }
            var content = Load();
            change(content);
            Save(content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error($"Unable to record run data: {e.Message}");
        }
    }

    private Content Load()
    {
        var content = new Content(new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        try
        {
            if (!File.Exists(paths.RunData))
                return content;
            using var doc = JsonDocument.Parse(File.ReadAllBytes(paths.RunData));
            ReadGroup(doc.RootElement, "sources", content.Sources);
            ReadGroup(doc.RootElement, "destinations", content.Destinations);
        }
        catch (JsonException e)
        {
            log.Warning($"Ignoring unreadable run data {paths.RunData}: {e.Message}");
        }
        return content;
    }

    private static void ReadGroup(JsonElement root, string name, Dictionary<string, List<KeyValuePair<string, RunValue>>> into)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var group) || group.ValueKind != JsonValueKind.Object)
            return;
        foreach (var section in group.EnumerateObject())
        {
            if (section.Value.ValueKind != JsonValueKind.Object)
                continue;
            into[section.Name] = section.Value.EnumerateObject().Select(p => new KeyValuePair<string, RunValue>(p.Name, p.Value.ValueKind switch
            {
                JsonValueKind.String => new RunValue(p.Value.GetString()),
                JsonValueKind.Number when p.Value.TryGetInt64(out var n) => new RunValue(null, n),
                _ => RunValue.Null,
            })).ToList();
        }
    }

    private void Save(Content content)
    {
        var w = new PythonJsonWriter();
        w.StartObject();
        foreach (var (name, group) in new[] { ("sources", content.Sources), ("destinations", content.Destinations) })
        {
            w.Key(name).StartObject();
            foreach (var (section, values) in group)
            {
                w.Key(section).StartObject();
                foreach (var (key, value) in values)
                {
                    w.Key(key);
                    if (value.Number is { } n)
                        w.Number(n);
                    else
                        w.String(value.Text);
                }
                w.EndObject();
            }
            w.EndObject();
        }
        w.EndObject();
        var dir = Path.GetDirectoryName(paths.RunData);
        if (!string.IsNullOrEmpty(dir))
            Directory.CreateDirectory(dir);
        var temp = paths.RunData + ".tmp";
        File.WriteAllText(temp, w.ToString());
        File.Move(temp, paths.RunData, overwrite: true);
    }

    /// <summary>A value of the file for -s -j: the text, or null.</summary>
    public static string? Text(Content content, bool source, string section, string key) =>
        (source ? content.Sources : content.Destinations).TryGetValue(section, out var values)
            ? values.FirstOrDefault(v => v.Key == key).Value?.Text : null;

    public static long? Number(Content content, string section, string key) =>
        content.Sources.TryGetValue(section, out var values) ? values.FirstOrDefault(v => v.Key == key).Value?.Number : null;
}
