using HvMonitor.Reporter.Logging;
using System.Text.Json;
using HvMonitor.Reporter.Sources;

namespace HvMonitor.Reporter.Candlepin;

/// <summary>How a check-in ended: an async job to follow, or (legacy) final at once.</summary>
public sealed record CheckInResult(string? JobId);

/// <summary>
/// One method per Candlepin endpoint (docs/virt-who-compatibility.md, "Requests"). Each logical call opens a fresh
/// <see cref="CandlepinConnection"/>, pings (<c>GET /status/</c>), reads the capabilities when it needs
/// them (<c>GET /status</c>), then makes its request: the same sequence rhsm.connection puts on the wire.
/// </summary>
public sealed class CandlepinClient(CandlepinSettings settings, ClientIdentity identity, IReporterLog log)
{
    public const string HeartbeatCapability = "hypervisors_heartbeat";
    public const string AsyncCapability = "hypervisors_async";

    /// <summary>PUT heartbeat. False (no request) when the server lacks the capability or reporter_id is empty.</summary>
    public async Task<bool> HeartbeatAsync(string owner, string reporterId, CancellationToken cancellation)
    {
        using var c = await ConnectAsync(cancellation).ConfigureAwait(false);
        var capabilities = await CapabilitiesAsync(c, cancellation).ConfigureAwait(false);
        if (!capabilities.Contains(HeartbeatCapability) || string.IsNullOrEmpty(reporterId))
            return false;
        await c.SendAsync(HttpMethod.Put, CandlepinPaths.Heartbeat(owner, reporterId), null, cancellation).ConfigureAwait(false);
        return true;
    }

    /// <summary>The batched check-in of every host/guest report of this destination: async when the server can, else legacy.</summary>
    public async Task<CheckInResult> CheckInAsync(string owner, string reporterId, IReadOnlyList<Hypervisor> hypervisors, CancellationToken cancellation)
    {
        using var c = await ConnectAsync(cancellation).ConfigureAwait(false);
        var capabilities = await CapabilitiesAsync(c, cancellation).ConfigureAwait(false);
        if (!capabilities.Contains(AsyncCapability))
        {
            await c.SendAsync(HttpMethod.Post, CandlepinPaths.LegacyCheckIn(owner), CandlepinBodies.LegacyCheckIn(hypervisors), cancellation).ConfigureAwait(false);
            return new CheckInResult(null);
        }
        var response = await c.SendAsync(HttpMethod.Post, CandlepinPaths.AsyncCheckIn(owner, reporterId), CandlepinBodies.AsyncCheckIn(hypervisors),
            cancellation, contentType: "text/plain").ConfigureAwait(false);
        using var doc = JsonDocument.Parse(response.Body);
        var id = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out var i) ? i.GetString() : null;
        return new CheckInResult(id ?? throw new CandlepinException(CandlepinFailure.HttpStatus, "The server accepted the check-in but returned no job id"));
    }

    /// <summary>Local mode: <c>GET /</c> for the guestids resource, then PUT the consumer's guest list.</summary>
    public async Task UpdateConsumerAsync(DomainListReport report, CancellationToken cancellation)
    {
        var uuid = ConsumerCertificate.ConsumerUuid(settings.ConsumerCertDir);
        using var c = await ConnectAsync(cancellation).ConfigureAwait(false);
        var resources = await c.SendAsync(HttpMethod.Get, CandlepinPaths.ResourceList, null, cancellation).ConfigureAwait(false);
        bool guestObjects = HasGuestIdsResource(resources.Body);
        await c.SendAsync(HttpMethod.Put, CandlepinPaths.Consumer(uuid), CandlepinBodies.ConsumerUpdate(report, guestObjects), cancellation).ConfigureAwait(false);
    }

    public async Task<JobStatus> GetJobAsync(string jobId, CancellationToken cancellation)
    {
        using var c = await ConnectAsync(cancellation).ConfigureAwait(false);
        var response = await c.SendAsync(HttpMethod.Get, CandlepinPaths.Job(jobId), null, cancellation).ConfigureAwait(false);
        return JobStatus.Parse(jobId, response.Body);
    }

    private async Task<CandlepinConnection> ConnectAsync(CancellationToken cancellation)
    {
        var c = new CandlepinConnection(settings, identity);
        try
        {
            log.Info($"X-Correlation-ID: {identity.CorrelationId}");
            var ping = await c.SendAsync(HttpMethod.Get, CandlepinPaths.Ping, null, cancellation).ConfigureAwait(false);
            if (!PingUsable(ping.Body))
                throw new CandlepinException(CandlepinFailure.Unusable, "Unable to obtain status from server, UEPConnection is likely not usable.");
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    private static async Task<IReadOnlySet<string>> CapabilitiesAsync(CandlepinConnection c, CancellationToken cancellation)
    {
        var status = await c.SendAsync(HttpMethod.Get, CandlepinPaths.Capabilities, null, cancellation).ConfigureAwait(false);
        var set = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(status.Body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("managerCapabilities", out var caps) && caps.ValueKind == JsonValueKind.Array)
                set.UnionWith(caps.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
        }
        catch (JsonException)
        {
            // No readable status: no capabilities, as rhsm treats it.
        }
        return set;
    }

    private static bool PingUsable(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return !(doc.RootElement.ValueKind == JsonValueKind.Object
                     && doc.RootElement.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.False);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static bool HasGuestIdsResource(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Array
                   && doc.RootElement.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.Object
                       && e.TryGetProperty("rel", out var rel) && rel.ValueKind == JsonValueKind.String && rel.GetString() == "guestids");
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
