using System.Globalization;
using System.Net;
using System.Text;
using Xunit;

namespace HvMonitor.IntegrationTests.Prometheus;

/// <summary>
/// --format prometheus and the exporter without the lab: libvirt's test driver and recorded hosts, checked by
/// Prometheus's own tools (promtool, a Prometheus server, node_exporter's textfile collector).
/// </summary>
public sealed class PrometheusOutputTests
{
    private const string TestUri = "test:///default";

    public static TheoryData<string[]> Sources()
    {
        var data = new TheoryData<string[]> { new[] { "--uri", TestUri }, new[] { "--replay", Path.Combine(RepoPaths.Root, "samples", "libvirt", "recorded-lab") } };
        foreach (var host in Directory.GetDirectories(Path.Combine(RepoPaths.Root, "samples", "cbsd")).Order(StringComparer.Ordinal))
            data.Add(["-b", "cbsd", "--replay", host]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void PromtoolAcceptsTheOutput(string[] source)
    {
        var r = HvMonitorBinary.Run([.. source, "--format", "prometheus"]);
        Assert.True(r.ExitCode is 0 or 3, r.Stderr);
        Assert.Contains("hv_monitor_up 1\n", r.Stdout);
        var check = Exporter.Promtool(r.StdoutBytes);
        Assert.True(check.ExitCode == 0, $"promtool check metrics: {check.Stdout}{check.Stderr}");
        Assert.Equal("", check.Stdout + check.Stderr);
    }

    [Fact]
    public void NodeExporterServesTheTextfileAndPrometheusReadsIt()
    {
        var dir = Directory.CreateTempSubdirectory("hvm-textfile-").FullName;
        var file = Path.Combine(dir, "hv_monitor.prom");
        var r = HvMonitorBinary.Run("--uri", TestUri, "--format", "prometheus", "-w", "-q", "-o", file);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Equal([file], Directory.GetFiles(dir)); // no temporary file left beside it

        // Ground truth from virsh, not from us.
        var info = GroundTruth.Virsh(TestUri, "dominfo", "test");
        ulong cpus = ulong.Parse(Field(info, "CPU(s)"), CultureInfo.InvariantCulture);
        ulong maxKiB = ulong.Parse(Field(info, "Max memory").Split(' ')[0], CultureInfo.InvariantCulture);

        int nodePort = Daemon.FreePort();
        using var node = new Daemon("prometheus-node-exporter", [
            "--web.listen-address=127.0.0.1:" + nodePort.ToString(CultureInfo.InvariantCulture),
            "--collector.disable-defaults", "--collector.textfile", "--collector.textfile.directory=" + dir,
        ]);
        using var prometheus = new PrometheusServer($"  - job_name: node\n    static_configs:\n      - targets: ['127.0.0.1:{nodePort}']\n");
        var vcpus = prometheus.QueryUntil("hv_monitor_vm_vcpus{job=\"node\"}", _ => true, TimeSpan.FromSeconds(60));
        Assert.Equal("test", Assert.Single(vcpus).Labels["vm"]);
        Assert.Equal(cpus, (ulong)vcpus[0].Value);
        var memory = prometheus.Query("hv_monitor_vm_memory_bytes{job=\"node\",vm=\"test\"}");
        Assert.Equal(maxKiB * 1024, (ulong)Assert.Single(memory).Value);
        // node_exporter found no fault with the file.
        Assert.Equal(0, Assert.Single(prometheus.Query("node_textfile_scrape_error{job=\"node\"}")).Value);
    }

    [Fact]
    public void TlsAndBasicAuthFromTheWebConfigFile()
    {
        var dir = Directory.CreateTempSubdirectory("hvm-webconfig-").FullName;
        Shell.Check("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", Path.Combine(dir, "key.pem"), "-out", Path.Combine(dir, "cert.pem"));
        const string password = "s3cret \"pass\" \\ word";
        const string wrong = "wrong-Password-4711";
        var hash = Shell.Check("htpasswd", "-nbBC", "5", "prom", password).Trim().Split(':', 2)[1];
        File.WriteAllText(Path.Combine(dir, "web.yml"), $"tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  prom: '{hash}'\n");

        int port = Daemon.FreePort();
        using var exporter = Exporter.Start(port, "--uri", TestUri, "--web.config.file", Path.Combine(dir, "web.yml"));
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Subject == "CN=127.0.0.1" };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        var url = $"https://127.0.0.1:{port}/metrics";
        HttpResponseMessage Get(string? user, string? pass)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (user is not null)
                request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + pass)));
            return http.Send(request);
        }
        exporter.WaitFor(() => Get(null, null).StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(30), "exporter answering over TLS");

        Assert.Equal(HttpStatusCode.Unauthorized, Get("prom", wrong).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, Get("nobody", password).StatusCode);
        var ok = Get("prom", password);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", ok.Content.Headers.ContentType!.ToString());
        using (var reader = new StreamReader(ok.Content.ReadAsStream()))
            Assert.Contains("hv_monitor_up 1\n", reader.ReadToEnd());
        // Plain HTTP is not served on the TLS port.
        Assert.ThrowsAny<HttpRequestException>(() => http.Send(new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/metrics")).EnsureSuccessStatusCode());

        // A real Prometheus scrapes it with the credentials, over TLS.
        File.WriteAllText(Path.Combine(dir, "pw"), password);
        using var prometheus = new PrometheusServer(
            $"  - job_name: hv\n    scheme: https\n    tls_config:\n      ca_file: {Path.Combine(dir, "cert.pem")}\n" +
            $"    basic_auth:\n      username: prom\n      password_file: {Path.Combine(dir, "pw")}\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n");
        prometheus.QueryUntil("hv_monitor_up{job=\"hv\"}", r => r[0].Value == 1, TimeSpan.FromSeconds(60));

        Assert.Contains("refused a request for /metrics", exporter.Log);
        Assert.DoesNotContain(wrong, exporter.Log);
        Assert.DoesNotContain("s3cret", exporter.Log);
        Assert.DoesNotContain("nobody", exporter.Log);
    }

    [Fact]
    public void AWebConfigThatAsksForMoreThanWeServeDoesNotStart()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("hvm-webconfig-").FullName, "web.yml");
        File.WriteAllText(file, "tls_server_config:\n  cert_file: c\n  key_file: k\n  client_ca_file: ca.pem\n");
        var r = HvMonitorBinary.Run("exporter", "--web.config.file", file);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("web.yml:4: tls_server_config.client_ca_file is not supported", r.Stderr);
    }

    [Fact]
    public async Task ConcurrentScrapesShareOneCollectionAndTheLandingPageLinksTheMetrics()
    {
        int port = Daemon.FreePort();
        // The test seam makes every collection hang until its 2 s deadline, so that the scrapes surely overlap.
        using var exporter = Exporter.Start(port, new Dictionary<string, string> { ["HV_MONITOR_TEST_STALL_AFTER_DOMAINS"] = "0" },
            "--uri", TestUri, "--web.telemetry-path", "/m", "--timeout", "2");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        exporter.WaitFor(() => Web.Status(http, $"http://127.0.0.1:{port}/") == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "exporter answering");
        Assert.Contains("<a href=\"/m\">", await http.GetStringAsync($"http://127.0.0.1:{port}/"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{port}/metrics")).StatusCode);
        var bodies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => http.GetStringAsync($"http://127.0.0.1:{port}/m")));
        var last = await http.GetStringAsync($"http://127.0.0.1:{port}/m");
        double Value(string text, string name) => double.Parse(text.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);
        Assert.Equal(9, Value(last, "hv_monitor_exporter_scrapes_total"));
        Assert.True(Value(last, "hv_monitor_exporter_collections_total") < 9, "overlapping scrapes did not share a collection");
        Assert.Equal(1, Value(last, "hv_monitor_exporter_libvirt_connects_total")); // one kept connection
        Assert.All(bodies, b => Assert.Equal(0, Exporter.Promtool(Encoding.UTF8.GetBytes(b)).ExitCode));
        // A collection cut off by its deadline is a failed scrape, said in the metrics, not a hung request.
        Assert.All(bodies, b => Assert.Contains("hv_monitor_up 0\n", b));
        Assert.All(bodies, b => Assert.InRange(Value(b, "hv_monitor_collection_duration_seconds"), 1.9, 5));
    }

    private static string Field(string virshInfo, string name) =>
        virshInfo.Split('\n').Select(l => l.Split(':', 2)).Single(p => p[0].Trim() == name)[1].Trim();
}
