using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit;

namespace HvMonitor.IntegrationTests.Prometheus;

/// <summary>
/// The exporter on the real lab, scraped by a real Prometheus: what PromQL returns for every lab guest (hvm-*
/// only: other people's guests come and go) is what virsh and /proc say. Run under the lab lock.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PrometheusLabTests
{
    private const string Uri = LabFixture.Uri;

    private static bool Ours(string name) => name.StartsWith("hvm", StringComparison.Ordinal);

    [Fact]
    public void PromtoolAcceptsTheLabsOutput()
    {
        var r = HvMonitorBinary.Run("--uri", Uri, "--format", "prometheus");
        Assert.True(r.ExitCode is 0 or 3, r.Stderr);
        var check = Exporter.Promtool(r.StdoutBytes);
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        // The hostile name, escaped as the format requires.
        Assert.Contains("vm=\"hvm \\\"q\\\" \\\\b\"", r.Stdout);
    }

    [Fact]
    public void PrometheusScrapesTheExporterAndPromQlGivesWhatVirshAndProcSay()
    {
        int port = Daemon.FreePort();
        using var exporter = Exporter.Start(port, "--uri", Uri);
        using var prometheus = new PrometheusServer($"  - job_name: hv\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n");
        prometheus.QueryUntil("hv_monitor_up{job=\"hv\"}", r => r[0].Value == 1, TimeSpan.FromSeconds(90));

        var stats = GroundTruth.DomStats(Uri).Where(kv => Ours(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.True(stats.Count >= 4, "the lab guests are missing");
        var states = prometheus.QueryUntil("hv_monitor_vm_state{job=\"hv\"}", r => stats.Keys.All(n => r.Any(x => x.Labels["vm"] == n)), TimeSpan.FromSeconds(30))
            .Where(r => Ours(r.Labels["vm"])).ToDictionary(r => r.Labels["vm"], r => r.Labels["state"]);
        Assert.Equal(stats.Keys.Order(StringComparer.Ordinal), states.Keys.Order(StringComparer.Ordinal));

        var memory = Values(prometheus, "hv_monitor_vm_memory_bytes");
        var vcpus = Values(prometheus, "hv_monitor_vm_vcpus");
        var capacity = prometheus.Query("hv_monitor_vm_disk_capacity_bytes{job=\"hv\"}").Where(r => Ours(r.Labels["vm"]))
            .ToDictionary(r => (r.Labels["vm"], r.Labels["disk"]), r => r.Value);
        var uuids = prometheus.Query("hv_monitor_vm_info{job=\"hv\"}").Where(r => Ours(r.Labels["vm"])).ToDictionary(r => r.Labels["vm"], r => r.Labels["uuid"]);
        var elapsed = Values(prometheus, "hv_monitor_vm_process_elapsed_seconds");
        var vcpuTime = prometheus.Query("hv_monitor_vm_vcpu_time_seconds_total{job=\"hv\",vcpu=\"0\"}").Where(r => Ours(r.Labels["vm"]))
            .ToDictionary(r => r.Labels["vm"], r => r.Value);
        foreach (var (name, s) in stats)
        {
            // virsh domstate: "running", "paused", "shut off".
            var state = GroundTruth.Virsh(Uri, "domstate", name).Trim().Replace("shut off", "shutoff", StringComparison.Ordinal);
            Assert.Equal(state, states[name]);
            Assert.Equal(GroundTruth.Virsh(Uri, "domuuid", name).Trim(), uuids[name]);
            var info = GroundTruth.Virsh(Uri, "dominfo", name);
            Assert.Equal(double.Parse(Field(info, "CPU(s)"), CultureInfo.InvariantCulture), vcpus[name]);
            var maxMemory = ulong.Parse(Field(info, "Max memory").Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            Assert.True(maxMemory == (ulong)memory[name], $"{name} ({state}): hv_monitor_vm_memory_bytes {memory[name]}, virsh's Max memory {maxMemory}");
            for (int i = 0; i < (int)s.U("block.count"); i++)
            {
                if (s.TryGetValue($"block.{i}.capacity", out var cap))
                    Assert.Equal(ulong.Parse(cap, CultureInfo.InvariantCulture), (ulong)capacity[(name, s[$"block.{i}.name"])]);
            }
            if (state != "shutoff")
            {
                // /proc: the QEMU process's age, within the scrape interval and the query's lag.
                var pid = GroundTruth.QemuPid(name).ToString(CultureInfo.InvariantCulture);
                var etimes = double.Parse(Shell.Check("ps", "-o", "etimes=", "-p", pid).Trim(), CultureInfo.InvariantCulture);
                Assert.InRange(elapsed[name], etimes - 15, etimes + 1);
                // vCPU 0's run time: a counter, read by virsh after the scrape, so at least ours.
                var virshTime = ulong.Parse(GroundTruth.Virsh(Uri, "domstats", "--vcpu", "--raw", name).Split('\n')
                    .Select(l => l.Trim()).Single(l => l.StartsWith("vcpu.0.time=", StringComparison.Ordinal))["vcpu.0.time=".Length..], CultureInfo.InvariantCulture) / 1e9;
                Assert.InRange(vcpuTime[name], 0.001, virshTime + 0.001);
            }
            else
            {
                Assert.False(elapsed.ContainsKey(name), $"{name} is off but has process figures");
                Assert.False(vcpuTime.ContainsKey(name), $"{name} is off but has vCPU times");
            }
        }
        var versions = Assert.Single(prometheus.Query("hv_monitor_libvirt_version_info{job=\"hv\"}"));
        var virshVersion = GroundTruth.Virsh(Uri, "version");
        Assert.Contains("libvirt " + versions.Labels["libvirt"], virshVersion);
        Assert.Contains("hypervisor: QEMU " + versions.Labels["hypervisor_version"], virshVersion);
    }

    [Fact]
    public void AHungLibvirtdFailsAScrapeWithinTheDeadlineAndTheExporterRecovers()
    {
        int port = Daemon.FreePort();
        using var exporter = Exporter.Start(port, "--uri", Uri, "--timeout", "3");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var url = $"http://127.0.0.1:{port}/metrics";
        exporter.WaitFor(() => Web.GetString(http, url).Contains("hv_monitor_up 1\n", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "a first good scrape");

        var pid = GroundTruth.LibvirtdPid().ToString(CultureInfo.InvariantCulture);
        string during, after;
        var clock = Stopwatch.StartNew();
        Shell.Check("kill", "-STOP", pid);
        try
        {
            during = Web.GetString(http, url);
            clock.Stop();
            // The collection thread is still stuck in libvirt: the next scrape says so at once.
            var again = Stopwatch.StartNew();
            var second = Web.GetString(http, url);
            Assert.True(again.Elapsed.TotalSeconds < 2, $"a second scrape took {again.Elapsed.TotalSeconds} s");
            Assert.Contains("hv_monitor_up 0\n", second);
        }
        finally
        {
            Shell.Check("kill", "-CONT", pid);
        }
        Assert.InRange(clock.Elapsed.TotalSeconds, 2.5, 8);
        Assert.True(during.Contains("hv_monitor_up 0\n", StringComparison.Ordinal) || during.Contains("hv_monitor_collection_complete 0\n", StringComparison.Ordinal), during);
        Assert.Equal(0, Exporter.Promtool(Encoding.UTF8.GetBytes(during)).ExitCode);

        after = "";
        exporter.WaitFor(() => (after = Web.GetString(http, url)).Contains("hv_monitor_collection_complete 1\n", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "a complete scrape after libvirtd resumed");
        Assert.Contains("hv_monitor_up 1\n", after);
    }

    [Fact]
    public void AfterALibvirtdRestartTheExporterReconnectsOnItsOwn()
    {
        using var labLock = Reporter.Daemon.LabLock.Hold(); // it restarts libvirtd
        int port = Daemon.FreePort();
        using var exporter = Exporter.Start(port, "--uri", Uri);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var url = $"http://127.0.0.1:{port}/metrics";
        string text = "";
        exporter.WaitFor(() => (text = Web.GetString(http, url)).Contains("hv_monitor_up 1\n", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "a first good scrape");
        double Connects(string t) => double.Parse(t.Split('\n').Single(l => l.StartsWith("hv_monitor_exporter_libvirt_connects_total ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);
        Assert.Equal(1, Connects(text));

        Reporter.Daemon.LabEventTests.RestartLibvirtd();

        // The kept connection died with the old libvirtd: the same exporter process opens a new one by itself.
        exporter.WaitFor(() => (text = Web.GetString(http, url)).Contains("hv_monitor_up 1\n", StringComparison.Ordinal)
            && text.Contains("hv_monitor_collection_complete 1\n", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "a complete scrape after the restart");
        Assert.True(Connects(text) >= 2, text);
        Assert.Contains("vm=\"hvm-alpha\"", text);
    }

    private static Dictionary<string, double> Values(PrometheusServer prometheus, string metric) =>
        prometheus.Query(metric + "{job=\"hv\"}").Where(r => Ours(r.Labels["vm"])).ToDictionary(r => r.Labels["vm"], r => r.Value);

    private static string Field(string virshInfo, string name) =>
        virshInfo.Split('\n').Select(l => l.Split(':', 2)).Single(p => p[0].Trim() == name)[1].Trim();
}
