using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HvMonitor.IntegrationTests.Reporter.Candlepin;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter.Status;

/// <summary>Status with failing sides, systemd readiness over NOTIFY_SOCKET, and -d's mapping in the log.</summary>
public sealed class StatusAndNotifyTests : StandInCandlepinTest
{
    [Fact]
    public async Task StatusReportsAnUnreachableServerAndABrokenSourceAsFailures()
    {
        Box.RemoteSection("alpha", Box.Host("alpha", ("aaaaaaaa-0000-4000-8000-000000000001", true)));
        Box.Write("/etc/virt-who.d/broken.conf", $"[broken]\ntype=libvirt\nserver=qemu+tcp://127.0.0.1:1/system\nowner={Server.Owner}\n"
            + $"rhsm_username={Server.BasicAuth!.Value.User}\nrhsm_password={Server.BasicAuth.Value.Password}\n");
        Box.Write("/etc/virt-who.d/local.conf", "[local]\ntype=libvirt\n");
        await Server.StopAsync();

        var r = Box.Run("-s", "-j");
        Assert.Equal(0, r.ExitCode);
        var configs = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("configurations").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(["alpha", "broken", "local"], configs.Keys);
        var alpha = configs["alpha"];
        Assert.Equal("success", alpha.GetProperty("source").GetProperty("status").GetString());
        Assert.Equal("failure", alpha.GetProperty("destination").GetProperty("status").GetString());
        // virt-who's texts: Python's socket error for the destination, libvirt's own message for the source.
        Assert.Equal("Error during status connection: [Errno 111] Connection refused.",
            alpha.GetProperty("destination").GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, alpha.GetProperty("destination").GetProperty("last_successful_send").ValueKind);
        var broken = configs["broken"].GetProperty("source");
        Assert.Equal("failure", broken.GetProperty("status").GetString());
        Assert.Equal("unable to connect to server at '127.0.0.1:1': Connection refused.", broken.GetProperty("message").GetString());
        // No owner: no destination test, success, connection "".
        var local = configs["local"].GetProperty("destination");
        Assert.Equal(("", "success"), (local.GetProperty("connection").GetString(), local.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, configs["local"].GetProperty("source").GetProperty("connection").ValueKind);

        var text = Box.Run("-s");
        Assert.Contains("Configuration Name: alpha\nSource Status: \u001b[1;32msuccess\u001b[0;0m\nDestination Status: \u001b[1;31mfailure\u001b[0;0m\n", text.Stdout);
    }

    [Fact]
    public void SectionsSharingADestinationShareOneStatusHeartbeat()
    {
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)));
        Box.RemoteSection("beta", Box.Host("beta", (GuestB, true)));
        var r = Box.Run("-s", "-j");
        Assert.Equal(0, r.ExitCode);
        var heartbeat = Assert.Single(Server.Requests, q => q.Method == "PUT");
        Assert.Equal($"{Server.Prefix}/hypervisors/ACME_Corp/heartbeat?reporter_id=status_test", heartbeat.Target);
        Assert.Single(Server.Requests.Select(q => q.Header("X-Correlation-ID")).Distinct());
        var configs = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("configurations").EnumerateArray().ToList();
        Assert.Equal(["alpha", "beta"], configs.Select(c => c.GetProperty("name").GetString()));
        Assert.All(configs, c => Assert.Equal("success", c.GetProperty("destination").GetProperty("status").GetString()));
    }

    [Fact]
    public void AServerWithoutHeartbeatsGivesVirtWhosOwnerMessageWithItsDoubleFullStop()
    {
        Server.Capabilities = ["hypervisors_async"];
        Box.RemoteSection("alpha", Box.Host("alpha", (GuestA, true)));
        var r = Box.Run("-s", "-j");
        var destination = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("configurations")[0].GetProperty("destination");
        Assert.Equal("Specified owner 'ACME_Corp' is not accessible..", destination.GetProperty("message").GetString());
        Assert.DoesNotContain(Server.Requests, q => q.Method == "PUT");
    }

    [Fact]
    public void TheDaemonTellsSystemdItIsReady()
    {
        var path = Path.Combine(Box.Root, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.ReceiveTimeout = 20000;
        Box.RemoteSection("alpha", Box.Host("alpha", ("aaaaaaaa-0000-4000-8000-000000000001", true)));
        using var daemon = Box.StartWithEnvironment(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path }, "-i", "60");
        var buffer = new byte[4096];
        int n = socket.Receive(buffer);
        Assert.Equal($"READY=1\nMAINPID={daemon.Process.Id}", Encoding.UTF8.GetString(buffer, 0, n));
        Assert.Equal(0, daemon.Stop());
        n = socket.Receive(buffer);
        Assert.Equal("STOPPING=1", Encoding.UTF8.GetString(buffer, 0, n));
    }

    [Fact]
    public void DebugLogsTheMappingAndNoSecretAnywhere()
    {
        Box.RemoteSection("alpha", Box.Host("alpha", ("aaaaaaaa-0000-4000-8000-000000000001", true)));
        var r = Box.Run("-o", "-d");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var log = File.ReadAllText(Box.LogFile);
        Assert.Contains("Host-to-guest mapping being sent to 'ACME_Corp': {\n    \"hypervisors\": [", log);
        Assert.Contains("\"guestId\": \"aaaaaaaa-0000-4000-8000-000000000001\"", r.Stderr);
        var secret = Server.BasicAuth!.Value.Password;
        Assert.DoesNotContain(secret, log);
        Assert.DoesNotContain(secret, r.Stderr);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Server.BasicAuth.Value.User + ":" + secret)), log + r.Stderr);
    }

    [Fact]
    public void AFatalStartTellsSystemdWhy()
    {
        var path = Path.Combine(Box.Root, "notify-fatal.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.ReceiveTimeout = 20000;
        Box.Write("/etc/virt-who.d/bad.conf", "[bad]\ntype=LIBVIRT\n");
        var r = Box.RunWithEnvironment(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path });
        Assert.Equal(1, r.ExitCode);
        var buffer = new byte[4096];
        int n = socket.Receive(buffer);
        Assert.Equal("STATUS=hv-monitor can't be started: no valid configuration found", Encoding.UTF8.GetString(buffer, 0, n));
    }
}
