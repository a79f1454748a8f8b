using System.Globalization;
using System.Net;
using HvMonitor.Collector.Backends;
using HvMonitor.Collector.Cli;

namespace HvMonitor.Exporter;

/// <summary>
/// <c>hv-monitor exporter</c>'s command line. The web flags are named as every Prometheus exporter names them
/// (exporter-toolkit's <c>--web.listen-address</c>, <c>--web.telemetry-path</c>, <c>--web.config.file</c>);
/// the collection flags are the collector's.
/// </summary>
public sealed record ExporterOptions
{
    /// <summary>Not in Prometheus's list of default port allocations (9177 is kumina's libvirt exporter); docs/prometheus.md.</summary>
    public const int DefaultPort = 9977;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(9);

    public bool Help { get; init; }
    public bool Version { get; init; }
    public string ListenAddress { get; init; } = ":" + DefaultPort.ToString(CultureInfo.InvariantCulture);
    public string TelemetryPath { get; init; } = "/metrics";
    public string? WebConfigFile { get; init; }
    public BackendKind Backend { get; init; } = BackendRegistry.DefaultForThisOs;
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
    public BackendSettings Settings { get; init; } = new(null, "/proc");
    public string? ReplayDirectory => Settings.ReplayDirectory;

    public const string Usage = """
        Usage: hv-monitor exporter [--web.listen-address [HOST]:PORT] [--web.telemetry-path PATH]
                                   [--web.config.file FILE] [-b BACKEND] [--uri URI] [--timeout SECONDS]

        A Prometheus exporter: every scrape of the telemetry path collects what `hv-monitor` collects, as metrics
        (docs/prometheus.md); scrapes that arrive together share one collection.

              --web.listen-address [HOST]:PORT  where to listen (default :9977, every address; 127.0.0.1:9977 for this host only)
              --web.telemetry-path PATH         where the metrics are (default /metrics); / is a landing page
              --web.config.file FILE            TLS and basic auth, in the exporter-toolkit format:
                                                  tls_server_config: {cert_file, key_file}; basic_auth_users: {USER: BCRYPT}
          -b, --backend BACKEND                 Libvirt or CBSD (default: this OS's)
              --uri URI                         libvirt URI (default: $LIBVIRT_DEFAULT_URI, else qemu:///system)
              --timeout SECONDS                 a scrape's collection deadline (default 9, under Prometheus's 10 s scrape_timeout)
              --proc-root DIR, --cbsd-path PATH, --replay DIR   as for hv-monitor
          -v, --version                         print the version
          -h, --help                            print this help
        """;

    public static ExporterOptions Parse(IReadOnlyList<string> args)
    {
        var o = new ExporterOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg;
            string? inline = null;
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = arg[..eq];
                inline = arg[(eq + 1)..];
            }
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"option '{name}' needs a value"));
            string NonEmpty() => Value() is { Length: > 0 } v ? v : throw new UsageException($"option '{name}' needs a non-empty value");
            o = name switch
            {
                "-h" or "--help" => o with { Help = true },
                "-v" or "--version" => o with { Version = true },
                "--web.listen-address" => o with { ListenAddress = CheckListen(NonEmpty()) },
                "--web.telemetry-path" => o with { TelemetryPath = CheckPath(Value()) },
                "--web.config.file" => o with { WebConfigFile = NonEmpty() },
                "-b" or "--backend" => o with { Backend = ParseBackend(Value()) },
                "--uri" => o with { Settings = o.Settings with { LibvirtUri = NonEmpty() } },
                "--timeout" => o with { Timeout = ParseSeconds(Value()) },
                "--proc-root" => o with { Settings = o.Settings with { ProcRoot = NonEmpty() } },
                "--cbsd-path" => o with { Settings = o.Settings with { CbsdPath = NonEmpty() } },
                "--replay" => o with { Settings = o.Settings with { ReplayDirectory = NonEmpty() } },
                _ => throw new UsageException($"unknown option '{name}'"),
            };
        }
        // One CBSD command is killed after half the deadline, as in the collector.
        return o with { Settings = o.Settings with { CommandTimeout = o.Timeout / 2 } };
    }

    /// <summary>"[host]:port": an empty host is every address; a host name or an IPv4/[IPv6] address otherwise.</summary>
    public static (string? Host, int Port) SplitListenAddress(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon < 0)
            throw new UsageException($"--web.listen-address '{value}': expected [HOST]:PORT, e.g. :{DefaultPort} or 127.0.0.1:{DefaultPort}");
        string host = value[..colon];
        if (!int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new UsageException($"--web.listen-address '{value}': the port must be a number from 1 to 65535");
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        else if (host.Contains(':'))
            throw new UsageException($"--web.listen-address '{value}': write an IPv6 address in brackets, e.g. [::1]:{DefaultPort}");
        return (host.Length == 0 ? null : host, port);
    }

    private static string CheckListen(string value)
    {
        var (host, _) = SplitListenAddress(value);
        if (host is not null && host != "localhost" && !IPAddress.TryParse(host, out _))
            throw new UsageException($"--web.listen-address '{value}': the host must be an IP address or localhost");
        return value;
    }

    private static string CheckPath(string value) =>
        value.StartsWith('/') && value.Length > 1 && !value.Contains('?') && !value.Contains('#')
            ? value
            : throw new UsageException($"--web.telemetry-path '{value}': a path such as /metrics (not /, which is the landing page)");

    private static BackendKind ParseBackend(string value) =>
        value.Equals("libvirt", StringComparison.OrdinalIgnoreCase) ? BackendKind.Libvirt
        : value.Equals("cbsd", StringComparison.OrdinalIgnoreCase) ? BackendKind.Cbsd
        : throw new UsageException($"unknown backend '{value}': use Libvirt or CBSD");

    private static TimeSpan ParseSeconds(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 3600
            ? TimeSpan.FromSeconds(s)
            : throw new UsageException($"--timeout takes a number of seconds between 0 and 3600, not '{value}'");
}
