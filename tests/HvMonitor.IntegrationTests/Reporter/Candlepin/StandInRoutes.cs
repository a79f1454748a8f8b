using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HvMonitor.Reporter.Candlepin;

namespace HvMonitor.IntegrationTests.Reporter.Candlepin;

/// <summary>The stand-in's API: what each endpoint checks and answers (docs/virt-who-compatibility.md, "Connection and headers", "Requests").</summary>
public sealed partial class StandInCandlepin
{
    [GeneratedRegex(@"^RHSM/1\.0 \(cmd=hv-monitor\) hv-monitor/\d+\.\d+\.\d+$")]
    private static partial Regex UserAgentPattern();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex CorrelationIdPattern();

    private (int Status, string? Body) Route(string method, string target, string path, Dictionary<string, string> headers, string body, X509Certificate2? cert)
    {
        if (!target.StartsWith(Prefix + "/", StringComparison.Ordinal))
            return Problem(404, $"{method} {target}: not under the prefix {Prefix}");
        CheckHeaders(method, target, path, headers, body);
        if (!Authorized(headers, cert, out var authProblem))
            return (401, JsonError("Invalid Credentials: " + authProblem));

        string owner = Owner;
        string reporter = "";
        switch (method, path)
        {
            case ("GET", CandlepinPaths.Ping):
            case ("GET", CandlepinPaths.Capabilities):
                return (200, StatusBody());
            case ("GET", CandlepinPaths.ResourceList):
                return (200, HasGuestIdsResource
                    ? """[{"rel": "consumers", "href": "/consumers"}, {"rel": "guestids", "href": "/consumers/{consumer_uuid}/guestids"}, {"rel": "jobs", "href": "/jobs"}]"""
                    : """[{"rel": "consumers", "href": "/consumers"}, {"rel": "jobs", "href": "/jobs"}]""");
        }
        var heartbeat = HeartbeatRoute().Match(path);
        if (method == "PUT" && heartbeat.Success)
        {
            owner = heartbeat.Groups[1].Value;
            if (!Capabilities.Contains(CandlepinClient.HeartbeatCapability))
                Violation($"heartbeat sent to a server without {CandlepinClient.HeartbeatCapability}");
            if (body.Length != 0)
                Violation("heartbeat with a body");
            return owner == Owner ? (200, JobBody(NextJobId(), "FINISHED", "null")) : UnknownOwner(owner);
        }
        var asyncCheckIn = AsyncRoute().Match(path);
        if (method == "POST" && asyncCheckIn.Success)
        {
            owner = asyncCheckIn.Groups[1].Value;
            reporter = asyncCheckIn.Groups[2].Value;
            if (headers.GetValueOrDefault("content-type") != "text/plain")
                Violation($"async check-in with Content-type {headers.GetValueOrDefault("content-type")}");
            if (!Capabilities.Contains(CandlepinClient.AsyncCapability))
                Violation("async check-in sent to a server without hypervisors_async");
            CheckAsyncBody(body);
            if (owner != Owner)
                return UnknownOwner(owner);
            var id = NextJobId();
            _jobPolls[id] = 0;
            return (200, JobBody(id, "CREATED", "null"));
        }
        var legacy = LegacyRoute().Match(path);
        if (method == "POST" && legacy.Success)
        {
            owner = Uri.UnescapeDataString(legacy.Groups[1].Value.Replace('+', ' '));
            if (Capabilities.Contains(CandlepinClient.AsyncCapability))
                Violation("legacy check-in sent to a server with hypervisors_async");
            CheckJson(body, JsonValueKind.Object, "legacy check-in body");
            return owner == Owner ? (200, """{"created": [], "updated": [], "unchanged": [], "failedUpdate": []}""") : UnknownOwner(owner);
        }
        if (method == "PUT" && path == CandlepinPaths.Consumer(TestPki.ConsumerUuid))
        {
            CheckConsumerBody(body);
            return (204, null);
        }
        var job = JobRoute().Match(path);
        if (method == "GET" && job.Success)
        {
            var id = job.Groups[1].Value;
            if (!_jobPolls.TryGetValue(id, out int polls))
                return (404, JsonError($"Job with id {id} could not be found."));
            _jobPolls[id] = polls + 1;
            var state = JobStates[Math.Min(polls, JobStates.Count - 1)];
            var result = state == "FINISHED" ? """{"created": [], "updated": [], "unchanged": [], "failedUpdate": []}""" : "null";
            return (200, JobBody(id, state, result));
        }
        return Problem(404, $"{method} {target}: no such endpoint");
    }

    [GeneratedRegex(@"^/hypervisors/([^/?]+)/heartbeat\?reporter_id=([^&]+)$")]
    private static partial Regex HeartbeatRoute();

    [GeneratedRegex(@"^/hypervisors/([^/?]+)\?env=&cloaked=False&reporter_id=([^&]+)$")]
    private static partial Regex AsyncRoute();

    [GeneratedRegex(@"^/hypervisors\?owner=([^&]+)&env=$")]
    private static partial Regex LegacyRoute();

    [GeneratedRegex(@"^/jobs/([^/?]+)\?result_data=True$")]
    private static partial Regex JobRoute();

    private void CheckHeaders(string method, string target, string path, Dictionary<string, string> headers, string body)
    {
        string Where() => $"{method} {target}";
        if (headers.GetValueOrDefault("accept") != "application/json")
            Violation($"{Where()}: Accept is {headers.GetValueOrDefault("accept")}");
        var contentType = headers.GetValueOrDefault("content-type");
        if (contentType != "application/json" && !(contentType == "text/plain" && method == "POST"))
            Violation($"{Where()}: Content-type is {contentType}");
        if (headers.GetValueOrDefault("content-length") != Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture))
            Violation($"{Where()}: Content-Length is {headers.GetValueOrDefault("content-length")} for {body.Length} characters");
        if (!UserAgentPattern().IsMatch(headers.GetValueOrDefault("user-agent") ?? ""))
            Violation($"{Where()}: User-Agent is {headers.GetValueOrDefault("user-agent")}");
        if (!CorrelationIdPattern().IsMatch(headers.GetValueOrDefault("x-correlation-id") ?? ""))
            Violation($"{Where()}: X-Correlation-ID is {headers.GetValueOrDefault("x-correlation-id")}");
        if (string.IsNullOrEmpty(headers.GetValueOrDefault("x-subscription-manager-version")))
            Violation($"{Where()}: no x-subscription-manager-version");
        if (string.IsNullOrEmpty(headers.GetValueOrDefault("accept-language")))
            Violation($"{Where()}: no Accept-Language");
        _ = path;
    }

    private bool Authorized(Dictionary<string, string> headers, X509Certificate2? cert, out string problem)
    {
        problem = "";
        if (headers.TryGetValue("authorization", out var auth))
        {
            var expected = BasicAuth is { } b ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(b.User + ":" + b.Password)) : null;
            if (auth == expected)
                return true;
            problem = "wrong username or password";
            return false;
        }
        if (cert is not null && _pki.Issued(cert) && cert.GetNameInfo(X509NameType.SimpleName, false) == TestPki.ConsumerUuid)
            return true;
        problem = cert is null ? "no credentials" : "unknown client certificate";
        return false;
    }

    private void CheckAsyncBody(string body)
    {
        var root = CheckJson(body, JsonValueKind.Object, "async check-in body");
        if (root is not { } r || !r.TryGetProperty("hypervisors", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            Violation("async check-in body without a hypervisors list");
            return;
        }
        foreach (var h in list.EnumerateArray())
        {
            var names = h.EnumerateObject().Select(p => p.Name).ToList();
            var expected = new[] { "hypervisorId", "name", "guestIds", "facts" }.Where(names.Contains).ToList();
            if (!names.SequenceEqual(expected) || !names.Contains("hypervisorId") || !names.Contains("guestIds"))
                Violation($"async check-in hypervisor keys {string.Join(",", names)}");
            var ids = h.GetProperty("guestIds").EnumerateArray().Select(g => g.GetProperty("guestId").GetString()!).ToList();
            if (!ids.SequenceEqual(ids.Order(StringComparer.Ordinal)))
                Violation("async check-in guests are not sorted by guestId");
        }
        if (!body.Contains("\": ", StringComparison.Ordinal) && body.Contains(':', StringComparison.Ordinal))
            Violation("async check-in body is not in json.dumps layout");
    }

    private void CheckConsumerBody(string body)
    {
        var root = CheckJson(body, JsonValueKind.Object, "consumer update body");
        if (root is not { } r)
            return;
        var names = r.EnumerateObject().Select(p => p.Name).ToList();
        if (!names.SequenceEqual(["guestIds", "hypervisorId"]))
            Violation($"consumer update keys {string.Join(",", names)}");
        var guests = r.GetProperty("guestIds").EnumerateArray().ToList();
        var kind = HasGuestIdsResource ? JsonValueKind.Object : JsonValueKind.String;
        if (guests.Any(g => g.ValueKind != kind))
            Violation($"consumer update guests are not all {kind}");
    }

    private JsonElement? CheckJson(string body, JsonValueKind kind, string what)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            if (root.ValueKind == kind)
                return root;
            Violation($"{what} is a {root.ValueKind}, not a {kind}");
        }
        catch (JsonException e)
        {
            Violation($"{what} is not JSON: {e.Message}");
        }
        return null;
    }

    private string StatusBody() =>
        "{\"mode\": \"NORMAL\", \"result\": true, \"version\": \"4.4.18\", \"release\": \"1\", \"standalone\": true, \"managerCapabilities\": ["
        + string.Join(", ", Capabilities.Select(c => "\"" + c + "\"")) + "]}";

    private static string JobBody(string id, string state, string resultData) =>
        $$"""{"id": "{{id}}", "state": "{{state}}", "key": "ACME_Corp", "resultData": {{resultData}}}""";

    private static string JsonError(string message) => JsonSerializer.Serialize(message, StandInJson.Default.String) is var m
        ? $$"""{"displayMessage": {{m}}, "requestUuid": "00000000-0000-0000-0000-000000000000"}""" : "";

    private static (int, string?) UnknownOwner(string owner) => (404, JsonError($"Organization with id {owner} could not be found."));

    private (int, string?) Problem(int status, string text)
    {
        Violation(text);
        return (status, JsonError(text));
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class StandInJson : System.Text.Json.Serialization.JsonSerializerContext;
