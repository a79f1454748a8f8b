using System.Diagnostics;
using System.Text;
using HvMonitor.IntegrationTests.Reporter.Candlepin;

namespace HvMonitor.IntegrationTests.Reporter;

/// <summary>
/// Everything `hv-monitor report --sysroot` needs for a run against the stand-in Candlepin: rhsm.conf naming
/// the stand-in, the test CA in ca_cert_dir, the consumer certificate, virt-who configuration files, and
/// libvirt test-driver hosts (test:///FILE, no daemon needed) whose guests a test can change between cycles.
/// </summary>
public sealed class ReporterSandbox : IDisposable
{
    public const string ShortTiming = "interval=1.5,jobpoll=0.2,throttle=1,debounce=0.2,eventgap=0.5,jobtimeout=20,reconnect=1";

    public ReporterSandbox(StandInCandlepin server, TestPki pki, string? rhsmExtra = null)
    {
        Root = Directory.CreateTempSubdirectory("hvm-report-").FullName;
        Server = server;
        foreach (var file in Directory.GetFiles(pki.CaDir))
            Write("/etc/rhsm/ca/" + Path.GetFileName(file), File.ReadAllText(file));
        foreach (var file in Directory.GetFiles(pki.ConsumerDir))
            Write("/etc/pki/consumer/" + Path.GetFileName(file), File.ReadAllText(file));
        Write("/etc/rhsm/rhsm.conf", $"""
            [server]
            hostname = 127.0.0.1
            port = {server.Port}
            prefix = {server.Prefix}
            insecure =
            server_timeout = 5
            {rhsmExtra}

            [rhsm]
            ca_cert_dir = /etc/rhsm/ca/
            consumerCertDir = /etc/pki/consumer
            """);
        Write("/etc/virt-who.conf", "[global]\nreporter_id=test-reporter\n");
        Write("/etc/machine-id", "0123456789abcdef0123456789abcdef\n");
    }

    public string Root { get; }
    public StandInCandlepin Server { get; }
    public string LogFile => Under("/var/log/rhsm/rhsm.log");
    public string PidFile => Under("/run/virt-who.pid");
    public string RunData => Under("/var/lib/virt-who/run_data.json");

    public string Under(string systemPath) => Path.Join(Root, systemPath);

    public string Write(string systemPath, string text)
    {
        var path = Under(systemPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A remote section (host/guest report) reading a test-driver host, sending with Basic auth.</summary>
    public void RemoteSection(string name, string hostFile, string extra = "") =>
        Write($"/etc/virt-who.d/{name}.conf", $"""
            [{name}]
            type=libvirt
            server=test://{hostFile}
            owner={Server.Owner}
            rhsm_username={Server.BasicAuth!.Value.User}
            rhsm_password={Server.BasicAuth!.Value.Password}
            {extra}
            """);

    /// <summary>A test-driver host file with the given guests (uuid, running); changing it changes the next report.</summary>
    public string Host(string name, params (string Uuid, bool Running)[] guests)
    {
        var xml = new StringBuilder("<node>\n<cpu><nodes>1</nodes><sockets>2</sockets><cores>2</cores><threads>1</threads><active>4</active><mhz>2000</mhz><model>x86_64</model></cpu>\n<memory>8388608</memory>\n");
        int i = 0;
        foreach (var (uuid, running) in guests)
        {
            xml.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"<domain type='test'><name>{name}-guest{i++}</name><uuid>{uuid}</uuid><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os>");
            if (!running)
                xml.Append("<on_poweroff>destroy</on_poweroff>");
            xml.Append("</domain>\n");
        }
        xml.Append("</node>\n");
        var path = Under($"/hosts/{name}.xml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, xml.ToString());
        return path;
    }

    public Dictionary<string, string> Environment(string timing = ShortTiming) => new()
    {
        ["HV_MONITOR_TEST_TIMING"] = timing,
        ["LIBVIRT_DEFAULT_URI"] = "test:///default",
    };

    public CommandResult Run(params string[] args) =>
        Shell.Run(HvMonitorBinary.Path, ["report", "--sysroot", Root, .. args], Environment(), TimeSpan.FromSeconds(90));

    /// <summary>Starts the daemon; the caller stops it (SIGTERM) and reads its output.</summary>
    public RunningReporter Start(params string[] args) => new(Process.Start(StartInfo(ShortTiming, args))!);

    /// <summary>Starts the daemon with other test timings (e.g. the real interval, short event waits).</summary>
    public RunningReporter StartWithTiming(string timing, params string[] args) => new(Process.Start(StartInfo(timing, args))!);

    /// <summary>
    /// Starts the daemon through <c>bash -c PRELUDE</c>, where the prelude ends by exec'ing <c>"$0" "$@"</c> (the
    /// binary and its arguments): e.g. <c>trap '' HUP; exec "$0" "$@"</c> starts it with SIGHUP ignored, as nohup does.
    /// </summary>
    public RunningReporter StartWrapped(string prelude, params string[] args)
    {
        var psi = StartInfo(ShortTiming, args);
        psi.FileName = "bash";
        psi.ArgumentList.Insert(0, "-c");
        psi.ArgumentList.Insert(1, prelude);
        psi.ArgumentList.Insert(2, HvMonitorBinary.Path);
        return new(Process.Start(psi)!);
    }

    /// <summary>Starts the daemon with extra environment variables (e.g. NOTIFY_SOCKET).</summary>
    public RunningReporter StartWithEnvironment(IDictionary<string, string> extra, params string[] args) =>
        StartWithEnvironment(ShortTiming, extra, args);

    public RunningReporter StartWithEnvironment(string timing, IDictionary<string, string> extra, params string[] args)
    {
        var psi = StartInfo(timing, args);
        foreach (var (k, v) in extra)
            psi.Environment[k] = v;
        return new(Process.Start(psi)!);
    }

    public CommandResult RunWithEnvironment(IDictionary<string, string> extra, params string[] args)
    {
        var env = Environment();
        foreach (var (k, v) in extra)
            env[k] = v;
        return Shell.Run(HvMonitorBinary.Path, ["report", "--sysroot", Root, .. args], env, TimeSpan.FromSeconds(90));
    }

    private ProcessStartInfo StartInfo(string timing, string[] args)
    {
        var psi = new ProcessStartInfo(HvMonitorBinary.Path)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in (string[])["report", "--sysroot", Root, .. args])
            psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var (k, v) in Environment(timing))
            psi.Environment[k] = v;
        return psi;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A daemon under test: its output is collected as it runs; signals are sent with kill(1).</summary>
public sealed class RunningReporter : IDisposable
{
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    public RunningReporter(Process process)
    {
        Process = process;
        process.StandardInput.Close();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) _stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.OutputDataReceived += (_, e) => { };
        process.BeginOutputReadLine();
    }

    public Process Process { get; }

    public string Stderr
    {
        get { lock (_gate) return _stderr.ToString(); }
    }

    public void Signal(string name) => Shell.Check("kill", "-" + name, Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>SIGTERM and wait; returns the exit code.</summary>
    public int Stop(TimeSpan? timeout = null)
    {
        if (!Process.HasExited)
            Signal("TERM");
        if (!Process.WaitForExit(timeout ?? TimeSpan.FromSeconds(15)))
            throw new TimeoutException("the daemon did not stop after SIGTERM:\n" + Stderr);
        Process.WaitForExit();
        return Process.ExitCode;
    }

    public void WaitForLog(string text, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Stderr.Contains(text, StringComparison.Ordinal))
                return;
            Thread.Sleep(50);
        }
        throw new TimeoutException($"the daemon did not log '{text}' within {timeout.TotalSeconds} s:\n{Stderr}");
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
            Process.WaitForExit();
        }
        Process.Dispose();
    }
}
