using System.Text.Json;
using HvMonitor.IntegrationTests.Reporter.Candlepin;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter.Sending;

/// <summary>`hv-monitor report -o` (the real binary) against the stand-in Candlepin, with libvirt's test driver as the source.</summary>
public sealed class OneShotTests : StandInCandlepinTest
{
    [Fact]
    public void TwoSectionsOfOneDestinationAreBatchedIntoOneAsyncCheckInAndTheJobIsAwaited()
    {
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestB, true), (GuestA, false)));
        Box.RemoteSection("beta", Box.Host("beta", (GuestA, true)), "hypervisor_id=hostname");

        var r = Box.Run("-o");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Empty(Server.Violations);
        var calls = Server.Calls.Select(c => $"{c.Method} {c.PathAfterPrefix}").ToList();
        Assert.Equal(["PUT /hypervisors/ACME_Corp/heartbeat", "POST /hypervisors/ACME_Corp", "GET /jobs/hypervisor_update_2", "GET /jobs/hypervisor_update_2"], calls);
        var post = Server.Calls[1];
        Assert.EndsWith("?env=&cloaked=False&reporter_id=test-reporter", post.Target);
        var hypervisors = JsonDocument.Parse(post.Body).RootElement.GetProperty("hypervisors").EnumerateArray().ToList();
        Assert.Equal(2, hypervisors.Count);
        var alpha = hypervisors[0];
        Assert.Equal([GuestA, GuestB], alpha.GetProperty("guestIds").EnumerateArray().Select(g => g.GetProperty("guestId").GetString()));
        var facts = alpha.GetProperty("facts");
        Assert.Equal(["cpu.cpu_socket(s)", "hypervisor.type", "hypervisor.version", "dmi.system.uuid"], facts.EnumerateObject().Select(f => f.Name));
        // The test driver's capabilities carry no <topology sockets=…>: virt-who then sends null.
        Assert.DoesNotContain("sockets=", GroundTruth.Virsh("test://" + Box.Under("/hosts/alpha.xml"), "capabilities"));
        Assert.Equal(JsonValueKind.Null, facts.GetProperty("cpu.cpu_socket(s)").ValueKind);
        Assert.Equal(JsonValueKind.Number, facts.GetProperty("hypervisor.version").ValueKind);
        Assert.Equal(GroundTruth.Virsh("test:///default", "hostname").Trim(), hypervisors[1].GetProperty("hypervisorId").GetProperty("hypervisorId").GetString());
        Assert.Contains("Sending updated Host-to-guest mapping to \"ACME_Corp\" including 2 hypervisors and 3 guests", r.Stderr);
        Assert.DoesNotContain(Server.BasicAuth!.Value.Password, r.Stderr);
        Assert.DoesNotContain(Server.BasicAuth!.Value.Password, File.ReadAllText(Box.LogFile));
        Assert.Contains("Mapping for config \"alpha,beta\" updated", File.ReadAllText(Box.LogFile));

        var runData = JsonDocument.Parse(File.ReadAllText(Box.RunData)).RootElement;
        var destination = runData.GetProperty("destinations").GetProperty("alpha");
        Assert.Equal("hypervisor_update_2", destination.GetProperty("last_job_id").GetString());
        Assert.EndsWith(" UTC", destination.GetProperty("last_successful_send").GetString());
        Assert.Equal(2, runData.GetProperty("sources").GetProperty("alpha").GetProperty("guests").GetInt32());
        Assert.False(File.Exists(Box.PidFile));
    }

    [Fact]
    public void WithoutTheAsyncCapabilityTheLegacyCheckInIsUsed()
    {
        Server.Capabilities = ["hypervisors_heartbeat"];
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestB, true), (GuestA, false)));
        var r = Box.Run("-o");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Empty(Server.Violations);
        var post = Assert.Single(Server.Calls, c => c.Method == "POST");
        Assert.Equal($"{Server.Prefix}/hypervisors?owner=ACME_Corp&env=", post.Target);
        var guests = JsonDocument.Parse(post.Body).RootElement.EnumerateObject().Single().Value.EnumerateArray().Select(g => g.GetProperty("guestId").GetString()).ToList();
        // The legacy body keeps the collection order, which libvirt's hash tables make random per process,
        // so only the set is checked here; WireFormatTests.LegacyBodyKeepsCollectionOrder checks the order.
        Assert.Equal([GuestA, GuestB], guests.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Server.Calls, c => c.PathAfterPrefix.StartsWith("/jobs/", StringComparison.Ordinal));
    }

    [Fact]
    public void ALocalSectionSendsAConsumerUpdateWithTheConsumerCertificate()
    {
        Box.Write("/etc/virt-who.d/local.conf", "[local]\ntype=libvirt\n");
        var r = Box.Run("-o");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Empty(Server.Violations);
        var p = Server.Prefix;
        Assert.Equal([$"GET {p}/status/", $"GET {p}/", $"PUT {p}/consumers/{TestPki.ConsumerUuid}"], Server.Requests.Select(q => $"{q.Method} {q.Target}"));
        var put = Server.Requests[^1];
        Assert.Equal($"CN={TestPki.ConsumerUuid}", put.ClientCertificateSubject);
        var expected = GroundTruth.Virsh("test:///default", "list", "--all", "--uuid").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal);
        Assert.Equal(expected, JsonDocument.Parse(put.Body).RootElement.GetProperty("guestIds").EnumerateArray().Select(g => g.GetProperty("guestId").GetString()));
        var destination = JsonDocument.Parse(File.ReadAllText(Box.RunData)).RootElement.GetProperty("destinations").GetProperty("local");
        Assert.Equal(["last_successful_send"], destination.EnumerateObject().Select(e => e.Name));
    }

    [Theory]
    [InlineData("FAILED")]
    [InlineData("CANCELED")]
    public void AJobThatFailsMakesTheRunExitOne(string state)
    {
        Server.JobStates = ["RUNNING", state];
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)));
        var r = Box.Run("-o");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"ended in state {state}", r.Stderr);
    }

    [Fact]
    public void AnUnknownCaFailsVerificationAndRhsmInsecureSkipsIt()
    {
        using var other = new TestPki("some other CA");
        File.Delete(Box.Under("/etc/rhsm/ca/test-ca.pem"));
        Box.Write("/etc/rhsm/ca/other.pem", other.Ca.ExportCertificatePem());
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)));
        var r = Box.Run("-o");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("certificate verify failed", r.Stderr);
        Assert.Contains($"(trusted: {Box.Under("/etc/rhsm/ca/")}*.pem and the system store;", r.Stderr);
        Assert.DoesNotContain("//*.pem", r.Stderr);
        Assert.Empty(Server.Requests);

        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)), "rhsm_insecure=1");
        r = Box.Run("-o");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Single(Server.Calls, c => c.Method == "POST");
    }

    [Fact]
    public void AProxyFromTheConfigurationCarriesTheTunnel()
    {
        using var proxy = new ConnectProxy();
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)), $"rhsm_proxy_hostname=127.0.0.1\nrhsm_proxy_port={proxy.Port}");
        var r = Box.Run("-o");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.NotEmpty(proxy.Heads);
        Assert.All(proxy.Heads, h => Assert.StartsWith($"CONNECT 127.0.0.1:{Server.Port} HTTP/1.1", h));
        Assert.Single(Server.Calls, c => c.Method == "POST");
    }

    [Fact]
    public void AProxyThatRefusesIsNamedWithoutItsCredentials()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        int port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)),
            $"rhsm_proxy_hostname=127.0.0.1\nrhsm_proxy_port={port}\nrhsm_proxy_user=puser\nrhsm_proxy_password=pr0xy-pw");
        var r = Box.Run("-o");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"Unable to connect to the proxy 127.0.0.1:{port} (on the way to 127.0.0.1:{Server.Port}): Connection refused", r.Stderr);
        Assert.DoesNotContain("pr0xy-pw", r.Stderr + File.ReadAllText(Box.LogFile));
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public void ASourceThatCannotBeReadMakesTheRunExitOneButTheOthersAreSent()
    {
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)));
        Box.RemoteSection("broken", Box.Under("/hosts/missing.xml"));
        var r = Box.Run("-o");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Error in communication with the source of \"broken\"", r.Stderr);
        var post = Assert.Single(Server.Calls, c => c.Method == "POST");
        Assert.Equal(1, JsonDocument.Parse(post.Body).RootElement.GetProperty("hypervisors").GetArrayLength());
    }

    [Fact]
    public void AThrottledOneShotWaitsRetryAfterAndDelivers()
    {
        Server.Inject("POST", "/hypervisors/", new Fault.Status(429, "{}", "1"));
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)));
        var r = Box.Run("-o");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal([429, 200], Server.Calls.Where(c => c.Method == "POST").Select(c => c.Status));
        Assert.Contains("Retrying after: 1 seconds.", r.Stderr);
    }
}
