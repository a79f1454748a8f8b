using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Logging;
using HvMonitor.Shared.Text;
using HvMonitor.Reporter.Sources;
using Xunit;

using HvMonitor.IntegrationTests.Reporter;

namespace HvMonitor.IntegrationTests.Reporter.Candlepin;

/// <summary>The Candlepin client against the stand-in over real HTTPS: every endpoint, auth, TLS, proxy, errors.</summary>
public sealed class CandlepinClientTests : StandInCandlepinTest
{
    private CandlepinSettings Settings(bool basic = true) => new()
    {
        Owner = Server.Owner,
        Hostname = "127.0.0.1",
        Port = Server.Port,
        Prefix = Server.Prefix,
        Username = basic ? Server.BasicAuth!.Value.User : null,
        Password = basic ? new Secret(Server.BasicAuth!.Value.Password) : null,
        ConsumerCertDir = Pki.ConsumerDir,
        CaCertDir = Pki.CaDir,
        ServerTimeout = TimeSpan.FromSeconds(3),
    };

    private static CandlepinClient Client(CandlepinSettings s) => new(s, ClientIdentity.Create(), new MemoryLog());

    internal static readonly Hypervisor Host = new("host-uuid-1", "kvm1.example.com",
        [new Guest("b-guest", 1, true, "libvirt"), new Guest("a-guest", 5, false, "libvirt")],
        [new Fact("cpu.cpu_socket(s)", "1"), new Fact("hypervisor.type", "QEMU"), new Fact("hypervisor.version", null, 9002000), new Fact("dmi.system.uuid", "host-uuid-1")]);

    [Fact]
    public async Task HeartbeatCheckInAndJobPollAreTheRequestsVirtWhoSends()
    {
        var client = Client(Settings());
        Assert.True(await client.HeartbeatAsync(Server.Owner, "kvm1-abc", default));
        var result = await client.CheckInAsync(Server.Owner, "kvm1-abc", [Host], default);
        var first = await client.GetJobAsync(result.JobId!, default);
        var second = await client.GetJobAsync(result.JobId!, default);

        Assert.Equal(("RUNNING", JobOutcome.Processing), (first.State, first.Outcome));
        Assert.Equal(("FINISHED", JobOutcome.Finished), (second.State, second.Outcome));
        Assert.Empty(Server.Violations);
        var p = Server.Prefix;
        Assert.Equal(
        [
            $"GET {p}/status/", $"GET {p}/status", $"PUT {p}/hypervisors/ACME_Corp/heartbeat?reporter_id=kvm1-abc",
            $"GET {p}/status/", $"GET {p}/status", $"POST {p}/hypervisors/ACME_Corp?env=&cloaked=False&reporter_id=kvm1-abc",
            $"GET {p}/status/", $"GET {p}/jobs/{result.JobId}?result_data=True",
            $"GET {p}/status/", $"GET {p}/jobs/{result.JobId}?result_data=True",
        ], Server.Requests.Select(r => $"{r.Method} {r.Target}"));
        var post = Server.Requests.Single(r => r.Method == "POST");
        Assert.Equal("""{"hypervisors": [{"hypervisorId": {"hypervisorId": "host-uuid-1"}, "name": "kvm1.example.com", "guestIds": [{"guestId": "a-guest", "state": 5, "attributes": {"virtWhoType": "libvirt", "active": 0}}, {"guestId": "b-guest", "state": 1, "attributes": {"virtWhoType": "libvirt", "active": 1}}], "facts": {"cpu.cpu_socket(s)": "1", "hypervisor.type": "QEMU", "hypervisor.version": 9002000, "dmi.system.uuid": "host-uuid-1"}}]}""", post.Body);
        Assert.Equal("text/plain", post.Header("Content-Type"));
        var ping = Server.Requests[0];
        Assert.Equal("0", ping.Header("Content-Length"));
        Assert.Equal("application/json", ping.Header("Content-Type"));
        Assert.Equal("en-us", ping.Header("Accept-Language"));
        Assert.Equal("unknown", ping.Header("x-subscription-manager-version"));
        Assert.StartsWith("Basic ", ping.Header("Authorization"));
        // One correlation id for the whole destination; keep-alive announced from the 2nd request of a connection.
        Assert.Single(Server.Requests.Select(r => r.Header("X-Correlation-ID")).Distinct());
        Assert.Null(Server.Requests[0].Header("Connection"));
        Assert.Equal("keep-alive", Server.Requests[1].Header("Connection"));
    }

    [Fact]
    public async Task TheConsumerCertificateAuthenticatesWithoutBasic()
    {
        await Client(Settings(basic: false)).HeartbeatAsync(Server.Owner, "r", default);
        Assert.All(Server.Requests, r => Assert.Null(r.Header("Authorization")));
        Assert.All(Server.Requests, r => Assert.Equal($"CN={TestPki.ConsumerUuid}", r.ClientCertificateSubject));
        Assert.All(Server.Requests, r => Assert.Equal(200, r.Status));
    }

    [Fact]
    public async Task WithoutAsyncCapabilityTheLegacyCheckInIsFinalAtOnce()
    {
        Server.Capabilities = ["hypervisors_heartbeat"];
        var result = await Client(Settings()).CheckInAsync(Server.Owner, "r", [Host], default);
        Assert.Null(result.JobId);
        var post = Server.Calls.Single();
        Assert.Equal($"{Server.Prefix}/hypervisors?owner=ACME_Corp&env=", post.Target);
        Assert.Equal("application/json", post.Header("Content-Type"));
        Assert.Equal("""{"host-uuid-1": [{"guestId": "b-guest", "state": 1, "attributes": {"virtWhoType": "libvirt", "active": 1}}, {"guestId": "a-guest", "state": 5, "attributes": {"virtWhoType": "libvirt", "active": 0}}]}""", post.Body);
        Assert.Empty(Server.Violations);
    }

    [Theory]
    [InlineData(true, """{"guestIds": [{"guestId": "a-guest", "state": 5, "attributes": {"virtWhoType": "libvirt", "active": 0}}, {"guestId": "b-guest", "state": 1, "attributes": {"virtWhoType": "libvirt", "active": 1}}], "hypervisorId": {"hypervisorId": "local-host"}}""")]
    [InlineData(false, """{"guestIds": ["a-guest", "b-guest"], "hypervisorId": {"hypervisorId": "local-host"}}""")]
    public async Task TheLocalConsumerUpdateReadsTheResourceListThenPutsTheGuests(bool guestIdsResource, string expectedBody)
    {
        Server.HasGuestIdsResource = guestIdsResource;
        var report = new DomainListReport("local", DateTimeOffset.UtcNow, "local-host", Host.Guests);
        await Client(Settings()).UpdateConsumerAsync(report, default);
        var p = Server.Prefix;
        Assert.Equal([$"GET {p}/status/", $"GET {p}/", $"PUT {p}/consumers/{TestPki.ConsumerUuid}"], Server.Requests.Select(r => $"{r.Method} {r.Target}"));
        Assert.Equal(expectedBody, Server.Requests[^1].Body);
        Assert.Empty(Server.Violations);
    }

    [Fact]
    public async Task HttpErrorsAreMappedToVirtWhosMessages()
    {
        var client = Client(Settings());
        Server.Inject("PUT", "/hypervisors/", new Fault.Status(429, "{}", "7"));
        var e = await Assert.ThrowsAsync<CandlepinException>(() => client.HeartbeatAsync(Server.Owner, "r", default));
        Assert.Equal((CandlepinFailure.Throttled, 7), (e.Failure, e.RetryAfterSeconds));

        Server.Inject("POST", "/hypervisors/", new Fault.Status(429));
        e = await Assert.ThrowsAsync<CandlepinException>(() => client.CheckInAsync(Server.Owner, "r", [Host], default));
        Assert.Equal(TimeSpan.FromSeconds(30), e.RetryAfter(TimeSpan.FromSeconds(30)));

        Server.Inject("GET", "/status/", new Fault.Status(410, """{"displayMessage": "Consumer gone"}"""));
        e = await Assert.ThrowsAsync<CandlepinException>(() => client.HeartbeatAsync(Server.Owner, "r", default));
        Assert.Equal("Communication with subscription manager failed: consumer no longer exists", e.Message);

        Server.Inject("POST", "/hypervisors/", new Fault.Status(401, """{"displayMessage": "Invalid Credentials"}"""));
        e = await Assert.ThrowsAsync<CandlepinException>(() => client.CheckInAsync(Server.Owner, "r", [Host], default));
        Assert.Equal("Communication with subscription manager failed with code 401: HTTP error (401 - Unauthorized): Invalid Credentials", e.Message);

        Server.Inject("GET", "/status/", new Fault.Status(500, null));
        e = await Assert.ThrowsAsync<CandlepinException>(() => client.HeartbeatAsync(Server.Owner, "r", default));
        Assert.Equal($"Server error attempting a GET to {Server.Prefix}/status/ returned status 500", e.Message);

        e = await Assert.ThrowsAsync<CandlepinException>(() => client.HeartbeatAsync("Other_Org", "r", default));
        Assert.Equal("Communication with subscription manager failed with code 404: HTTP error (404 - Not Found): Organization with id Other_Org could not be found.", e.Message);
    }

    [Fact]
    public async Task HangResetAndRefuseAreClearFailures()
    {
        var client = Client(Settings() with { ServerTimeout = TimeSpan.FromSeconds(1) });
        Server.Inject("GET", "/status/", new Fault.Hang());
        var e = await Assert.ThrowsAsync<CandlepinException>(() => client.HeartbeatAsync(Server.Owner, "r", default));
        Assert.Equal(CandlepinFailure.Timeout, e.Failure);

        Server.Inject("GET", "/status/", new Fault.Reset());
        e = await Assert.ThrowsAsync<CandlepinException>(() => client.HeartbeatAsync(Server.Owner, "r", default));
        Assert.Equal(CandlepinFailure.Interrupted, e.Failure);
        Assert.StartsWith("Communication with subscription manager interrupted", e.Message);

        await Server.StopAsync();
        e = await Assert.ThrowsAsync<CandlepinException>(() => client.HeartbeatAsync(Server.Owner, "r", default));
        Assert.Equal((CandlepinFailure.Connection, $"Unable to connect to 127.0.0.1:{Server.Port}: Connection refused"), (e.Failure, e.Message));

        Server.Start();
        Assert.True(await client.HeartbeatAsync(Server.Owner, "r", default));
    }

    [Fact]
    public async Task AnUnknownCaFailsVerificationUnlessInsecure()
    {
        using var other = new TestPki("another CA");
        var e = await Assert.ThrowsAsync<CandlepinException>(() => Client(Settings() with { CaCertDir = other.CaDir }).HeartbeatAsync(Server.Owner, "r", default));
        Assert.Equal(CandlepinFailure.Tls, e.Failure);
        Assert.Contains(other.CaDir + "/*.pem", e.Message);
        Assert.Contains("certificate verify failed", e.Message);
        Assert.Empty(Server.Requests);

        Assert.True(await Client(Settings() with { CaCertDir = other.CaDir, Insecure = true }).HeartbeatAsync(Server.Owner, "r", default));
    }

    [Fact]
    public async Task TheProxyTunnelCarriesUserAgentHostAndProxyAuthorization()
    {
        var auth = "Basic " + Convert.ToBase64String("proxyuser:proxy pw"u8.ToArray());
        using var proxy = new ConnectProxy(auth);
        var settings = Settings() with { Proxy = new ProxySettings("127.0.0.1", proxy.Port, "proxyuser", new Secret("proxy pw")) };
        Assert.True(await Client(settings).HeartbeatAsync(Server.Owner, "r", default));
        var head = proxy.Heads[0].Split("\r\n");
        Assert.Equal($"CONNECT 127.0.0.1:{Server.Port} HTTP/1.1", head[0]);
        Assert.Contains($"Host: 127.0.0.1:{Server.Port}", head);
        Assert.Contains("Proxy-Authorization: " + auth, head);
        Assert.Contains(head, l => l.StartsWith("User-Agent: RHSM/1.0 (cmd=hv-monitor) hv-monitor/", StringComparison.Ordinal));
        Assert.Equal(3, Server.Requests.Count);

        // no_proxy: the host goes direct, the proxy sees nothing more.
        int tunnels = proxy.Heads.Count;
        Assert.True(await Client(settings with { NoProxy = "example.com, 127.0.0.1" }).HeartbeatAsync(Server.Owner, "r", default));
        Assert.Equal(tunnels, proxy.Heads.Count);
    }
}
