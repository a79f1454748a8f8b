using System.Text.Json;

namespace HvMonitor.Reporter.Candlepin;

public enum JobOutcome { Finished, Failed, Processing }

/// <summary>A check-in job as <c>GET /jobs/ID?result_data=True</c> returns it.</summary>
/// <param name="FailedUpdates">resultData.failedUpdate entries, each logged as an error.</param>
/// <param name="ResultDataProblem">Why resultData could not be read (missing or a string), or null.</param>
public sealed record JobStatus(string Id, string State, IReadOnlyList<string> FailedUpdates, string? ResultDataProblem)
{
    /// <summary>docs/virt-who-compatibility.md, D5: FINISHED done; CANCELED, FAILED, ABORTED and unknown states failed (re-send);
    /// CREATED, WAITING, RUNNING, QUEUED, SCHEDULED, FAILED_WITH_RETRY still processing.</summary>
    public JobOutcome Outcome => State switch
    {
        "FINISHED" => JobOutcome.Finished,
        "CREATED" or "WAITING" or "RUNNING" or "QUEUED" or "SCHEDULED" or "FAILED_WITH_RETRY" => JobOutcome.Processing,
        _ => JobOutcome.Failed,
    };

    public static JobStatus Parse(string fallbackId, string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var id = root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : fallbackId;
        var state = root.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "UNKNOWN";
        var failed = new List<string>();
        string? problem = null;
        if (!root.TryGetProperty("resultData", out var data) || data.ValueKind == JsonValueKind.Null)
            problem = "Job status report without resultData: " + body;
        else if (data.ValueKind == JsonValueKind.String)
            problem = "Job status report encountered the following error: " + data.GetString();
        else if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("failedUpdate", out var f) && f.ValueKind == JsonValueKind.Array)
            failed.AddRange(f.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()));
        return new JobStatus(id, state, failed, problem);
    }
}
