using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HvMonitor.IntegrationTests.Snmp;

/// <summary>
/// A real net-snmp snmpd, started in the foreground as a child of the test on a free loopback port, with
/// a configuration written to a temporary directory: the agent address, a read-only community for
/// 127.0.0.1 limited to the extend MIB, and the given <c>extend</c> lines exactly as passed. Like Debian's
/// snmpd.service it can drop to an unprivileged user after binding, so that extend commands run as that
/// user. Throws (never skips) if snmpd cannot start; stops it in Dispose.
/// </summary>
public sealed class Snmpd : IDisposable
{
    public const string Community = "public";

    /// <summary>The user Debian's snmpd package creates and runs snmpd as (`-u Debian-snmp -g Debian-snmp`).</summary>
    public const string DebianUser = "Debian-snmp";

    /// <summary>NET-SNMP-EXTEND-MIB::nsExtendNumEntries.0: answered as soon as the agent is up.</summary>
    private const string NumEntriesOid = ".1.3.6.1.4.1.8072.1.3.2.1.0";

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public int UdpPort { get; }
    public int? TcpPort { get; }
    public string Directory { get; }
    public string ConfigFile { get; }
    public string? RunAsUser { get; }

    /// <summary>snmpd's own log (-Lo), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    private Snmpd(Process process, int udpPort, int? tcpPort, string directory, string configFile, string? runAsUser)
    {
        _process = process;
        UdpPort = udpPort;
        TcpPort = tcpPort;
        Directory = directory;
        ConfigFile = configFile;
        RunAsUser = runAsUser;
    }

    /// <param name="extendLines">snmpd.conf `extend` lines, written to the configuration unchanged.</param>
    /// <param name="runAsUser">user (and group of the same name) snmpd switches to after binding; null: stays root.</param>
    /// <param name="tcp">also listen on a TCP port (to measure what TCP transports).</param>
    /// <param name="accessLines">snmpd.conf access lines (e.g. `rocommunity ...`) instead of the default read-only community for 127.0.0.1;
    /// they must let <paramref name="community"/> read from 127.0.0.1 (how the start is awaited).</param>
    public static Snmpd Start(IReadOnlyList<string> extendLines, string? runAsUser = DebianUser, bool tcp = false,
        IReadOnlyList<string>? accessLines = null, string community = Community)
    {
        if (!File.Exists("/usr/sbin/snmpd"))
            throw new InvalidOperationException("snmpd is not installed (apt-get install snmpd snmp, or bash tests/lab/lab.sh install)");
        Exception? last = null;
        // A port found free can be taken by someone else before snmpd binds it: try a few.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                return StartOnce(extendLines, runAsUser, tcp, accessLines, community);
            }
            catch (SnmpdBindException e)
            {
                last = e;
            }
        }
        throw new InvalidOperationException("snmpd could not bind a loopback port in 3 attempts", last);
    }

    private static Snmpd StartOnce(IReadOnlyList<string> extendLines, string? runAsUser, bool tcp, IReadOnlyList<string>? accessLines, string community)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("hvm-snmpd-").FullName;
        // snmpd reads its configuration (again on SIGHUP) and writes persistent state after dropping
        // privileges: the directory must be usable by that user.
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        var persistent = System.IO.Directory.CreateDirectory(Path.Combine(dir, "persistent")).FullName;
        if (runAsUser is not null)
            Shell.Check("chown", $"{runAsUser}:{runAsUser}", persistent);

        int udpPort = FreePort(SocketType.Dgram, ProtocolType.Udp);
        int? tcpPort = tcp ? FreePort(SocketType.Stream, ProtocolType.Tcp) : null;
        var address = $"udp:127.0.0.1:{udpPort}" + (tcpPort is int t ? $",tcp:127.0.0.1:{t}" : "");
        var config = new StringBuilder()
            .AppendLine("# written by HvMonitor.IntegrationTests (Snmp/Snmpd.cs)")
            .AppendLine($"agentaddress {address}")
            .AppendLine("view hvmonitor included .1.3.6.1.4.1.8072.1.3.2"); // nsExtendObjects only
        foreach (var line in accessLines ?? [$"rocommunity {Community} 127.0.0.1 -V hvmonitor"])
            config.AppendLine(line);
        foreach (var line in extendLines)
            config.AppendLine(line);
        var configFile = Path.Combine(dir, "snmpd.conf");
        File.WriteAllText(configFile, config.ToString());
        File.SetUnixFileMode(configFile, (UnixFileMode)0b110_100_100);

        // Foreground (-f), log to stdout (-Lo), only this configuration (-C -c), as Debian's unit runs it.
        var psi = new ProcessStartInfo("/usr/sbin/snmpd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-f", "-Lo", "-C", "-c", configFile, "-p", Path.Combine(dir, "snmpd.pid") })
            psi.ArgumentList.Add(a);
        if (runAsUser is not null)
        {
            foreach (var a in new[] { "-u", runAsUser, "-g", runAsUser })
                psi.ArgumentList.Add(a);
        }
        // A service's environment, not the test runner's: what extend commands inherit from a real snmpd.
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        psi.Environment["MIBS"] = ""; // snmpd needs no MIB files; without this it complains about Debian's missing ones
        psi.Environment["SNMP_PERSISTENT_DIR"] = persistent;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot)
            psi.Environment["DOTNET_ROOT"] = dotnetRoot; // only matters for a framework-dependent (Debug) binary

        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start snmpd");
        var snmpd = new Snmpd(process, udpPort, tcpPort, dir, configFile, runAsUser);
        process.OutputDataReceived += (_, e) => snmpd.Append(e.Data);
        process.ErrorDataReceived += (_, e) => snmpd.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        try
        {
            snmpd.WaitUntilAnswering(TimeSpan.FromSeconds(15), community);
        }
        catch
        {
            snmpd.Dispose();
            throw;
        }
        return snmpd;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.AppendLine(line);
    }

    private void WaitUntilAnswering(TimeSpan limit, string community)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                var log = Log;
                if (log.Contains("Error opening specified endpoint", StringComparison.Ordinal))
                    throw new SnmpdBindException(log);
                throw new InvalidOperationException($"snmpd exited with {_process.ExitCode} at start-up:\n{log}");
            }
            var r = Shell.Run("snmpget", ["-v2c", "-c", community, "-r", "0", "-t", "1", "-Oqv", $"udp:127.0.0.1:{UdpPort}", NumEntriesOid],
                SnmpClientEnvironment(Directory));
            if (r.ExitCode == 0 && int.TryParse(r.Stdout.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                return;
            if (clock.Elapsed > limit)
                throw new InvalidOperationException($"snmpd did not answer on udp:127.0.0.1:{UdpPort} within {limit.TotalSeconds} s; snmpget said: {r.Stdout}{r.Stderr}\nsnmpd log:\n{Log}");
            Thread.Sleep(100);
        }
    }

    /// <summary>Environment for the net-snmp client tools: their persistent files go to the test's directory.</summary>
    public static Dictionary<string, string> SnmpClientEnvironment(string directory) => new()
    {
        ["SNMP_PERSISTENT_DIR"] = Path.Combine(directory, "client"),
    };

    private static int FreePort(SocketType socketType, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, socketType, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGTERM, as a service manager would: snmpd saves its state and exits.
                Shell.Run("kill", "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture));
                if (!_process.WaitForExit(10_000))
                    _process.Kill(entireProcessTree: true);
            }
            _process.WaitForExit();
        }
        finally
        {
            _process.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed class SnmpdBindException(string log) : Exception("snmpd could not bind its port:\n" + log);
}
