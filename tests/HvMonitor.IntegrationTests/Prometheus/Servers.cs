using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace HvMonitor.IntegrationTests.Prometheus;

/// <summary>A long-running process of a test (hv-monitor exporter, prometheus, node_exporter): killed on Dispose.</summary>
public sealed class Daemon : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    public Daemon(string file, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
            psi.Environment[k] = v;
        _process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + file);
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.OutputDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public int Pid => _process.Id;

    /// <summary>What it printed (stderr and stdout) so far.</summary>
    public string Log
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>Waits until <paramref name="ready"/> holds, or fails with the daemon's log.</summary>
    public void WaitFor(Func<bool> ready, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{what}: the process exited ({_process.ExitCode}):\n{Log}");
            try
            {
                if (ready())
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or SocketException or AggregateException)
            {
            }
            Thread.Sleep(250);
        }
        throw new TimeoutException($"{what} did not happen within {limit.TotalSeconds} s:\n{Log}");
    }
}

/// <summary>A real Prometheus server (Debian's package) on a loopback port, its own storage in a temp directory.</summary>
public sealed class PrometheusServer : IDisposable
{
    private readonly Daemon _daemon;
    private readonly string _dir;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public int Port { get; }

    /// <param name="scrapeConfigs">The YAML of the scrape_configs list entries, indented by two spaces.</param>
    public PrometheusServer(string scrapeConfigs)
    {
        _dir = Directory.CreateTempSubdirectory("hvm-prometheus-").FullName;
        var config = Path.Combine(_dir, "prometheus.yml");
        File.WriteAllText(config, "global:\n  scrape_interval: 2s\n  scrape_timeout: 2s\nscrape_configs:\n" + scrapeConfigs);
        Port = Daemon.FreePort();
        _daemon = new Daemon("prometheus", [
            "--config.file=" + config,
            "--storage.tsdb.path=" + Path.Combine(_dir, "data"),
            "--web.listen-address=127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture),
        ]);
        _daemon.WaitFor(() => Web.Status(Http, $"http://127.0.0.1:{Port}/-/ready") == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "prometheus ready");
    }

    public string Log => _daemon.Log;

    /// <summary>An instant query through the HTTP API: each result's labels and value.</summary>
    public List<(Dictionary<string, string> Labels, double Value)> Query(string promql)
    {
        var json = Http.GetStringAsync($"http://127.0.0.1:{Port}/api/v1/query?query={Uri.EscapeDataString(promql)}").Result;
        var root = JsonDocument.Parse(json).RootElement;
        if (root.GetProperty("status").GetString() != "success")
            throw new InvalidOperationException(json);
        return root.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => (
            r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>Queries until the result is non-empty and <paramref name="accept"/> takes it.</summary>
    public List<(Dictionary<string, string> Labels, double Value)> QueryUntil(string promql, Func<List<(Dictionary<string, string> Labels, double Value)>, bool> accept, TimeSpan limit)
    {
        List<(Dictionary<string, string>, double)> last = [];
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            last = Query(promql);
            if (last.Count > 0 && accept(last))
                return last;
            Thread.Sleep(500);
        }
        throw new TimeoutException($"'{promql}' gave {last.Count} result(s), none accepted, within {limit.TotalSeconds} s; targets: " +
            Http.GetStringAsync($"http://127.0.0.1:{Port}/api/v1/targets").Result + "\n" + Log);
    }

    public void Dispose()
    {
        _daemon.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public static class Exporter
{
    public static Daemon Start(int port, params string[] args) => Start(port, null, args);

    public static Daemon Start(int port, IDictionary<string, string>? env, params string[] args) =>
        new(HvMonitorBinary.Path, ["exporter", "--web.listen-address", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), .. args], env);

    /// <summary>promtool check metrics on a text; its exit code and what it said.</summary>
    public static CommandResult Promtool(byte[] text)
    {
        var file = Path.GetTempFileName();
        File.WriteAllBytes(file, text);
        try
        {
            return Shell.Run("bash", ["-c", "promtool check metrics < \"$1\"", "promtool", file]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>Synchronous HTTP for the tests' polling loops.</summary>
public static class Web
{
    public static string GetString(HttpClient http, string url)
    {
        using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, url));
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(response.Content.ReadAsStream(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static HttpStatusCode Status(HttpClient http, string url)
    {
        using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, url));
        return response.StatusCode;
    }
}
