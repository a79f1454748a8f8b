using System.Globalization;
using HvMonitor.Shared.Text;
using HvMonitor.Reporter.Candlepin;

namespace HvMonitor.Reporter.Config;

/// <summary>
/// /etc/rhsm/rhsm.conf (or /etc/rhsm-host/rhsm.conf in a container; docs/virt-who-compatibility.md, "Destinations and rhsm.conf"), with rhsm's
/// defaults for what is missing, and the resolution of a section's rhsm_* keys over it.
/// </summary>
public sealed record RhsmConf
{
    public string Hostname { get; init; } = "subscription.rhsm.redhat.com";
    public string Port { get; init; } = "443";
    public string Prefix { get; init; } = "/subscription";
    public string ProxyHostname { get; init; } = "";
    public string ProxyPort { get; init; } = "";
    public string ProxyUser { get; init; } = "";
    public string ProxyPassword { get; init; } = "";
    public string NoProxy { get; init; } = "";
    public string Insecure { get; init; } = "0";
    public string ServerTimeout { get; init; } = "180";
    public string ConsumerCertDir { get; init; } = "/etc/pki/consumer";
    public string CaCertDir { get; init; } = "/etc/rhsm/ca/";

    /// <summary>Parses rhsm.conf text; empty values keep rhsm's defaults for host, port and prefix.</summary>
    public static RhsmConf Parse(string text, string path)
    {
        var document = IniParser.Parse(text, path);
        var server = document.Sections.FirstOrDefault(s => s.Name == "server");
        var rhsm = document.Sections.FirstOrDefault(s => s.Name == "rhsm");
        foreach (var unusable in new[] { server, rhsm }.Where(s => s?.Error is not null))
            throw new IniSyntaxException($"[{unusable!.Name}]: {unusable.Error}");
        var defaults = new RhsmConf();
        string Value(IniSection? section, string key, string fallback, bool emptyMeansDefault = false) =>
            section?.Get(key) is { } v && !(emptyMeansDefault && v.Length == 0) ? v : fallback;
        return new RhsmConf
        {
            Hostname = Value(server, "hostname", defaults.Hostname, emptyMeansDefault: true),
            Port = Value(server, "port", defaults.Port, emptyMeansDefault: true),
            Prefix = Value(server, "prefix", defaults.Prefix, emptyMeansDefault: true),
            ProxyHostname = Value(server, "proxy_hostname", ""),
            ProxyPort = Value(server, "proxy_port", ""),
            ProxyUser = Value(server, "proxy_user", ""),
            ProxyPassword = Value(server, "proxy_password", ""),
            NoProxy = Value(server, "no_proxy", ""),
            Insecure = Value(server, "insecure", defaults.Insecure),
            ServerTimeout = Value(server, "server_timeout", defaults.ServerTimeout, emptyMeansDefault: true),
            ConsumerCertDir = Value(rhsm, "consumercertdir", defaults.ConsumerCertDir, emptyMeansDefault: true),
            CaCertDir = Value(rhsm, "ca_cert_dir", defaults.CaCertDir, emptyMeansDefault: true),
        };
    }

    /// <summary>Reads the file under the sysroot; a missing file gives rhsm's defaults.</summary>
    public static RhsmConf Load(ReporterPaths paths, Logging.IReporterLog log)
    {
        var containerPath = paths.Under("/etc/rhsm-host/rhsm.conf");
        var path = File.Exists(containerPath) ? containerPath : paths.RhsmConf;
        if (!File.Exists(path))
        {
            log.Write(Logging.LogLevel.Debug, $"{path} not found, using rhsm's defaults (server {new RhsmConf().Hostname})");
            return new RhsmConf();
        }
        try
        {
            // Only a regular file of bounded size: a FIFO or /dev/zero in its place must not hang or fill memory.
            return Parse(Shared.Platform.RegularFile.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IniSyntaxException)
        {
            log.Write(Logging.LogLevel.Error, $"Unable to read {path}, using rhsm's defaults: {e.Message}");
            return new RhsmConf();
        }
    }

    /// <summary>docs/virt-who-compatibility.md, D1: only a true-ish insecure value disables TLS verification.</summary>
    public static bool IsTrueish(string? value) => GlobalSectionValidator.ParseBool(value ?? "") == true;

    /// <summary>
    /// A section's destination: each rhsm_* key overrides rhsm.conf when present; an empty hostname,
    /// prefix or no_proxy falls back to rhsm.conf, an empty proxy or insecure value overrides it (docs/virt-who-compatibility.md, "Values and lists").
    /// </summary>
    public CandlepinSettings Resolve(string? owner, RhsmOverrides o, ReporterPaths paths)
    {
        string hostname = string.IsNullOrEmpty(o.Hostname) ? Hostname : o.Hostname;
        string prefix = string.IsNullOrEmpty(o.Prefix) ? Prefix : o.Prefix;
        string portText = string.IsNullOrEmpty(o.Port) ? Port : o.Port;
        string proxyHost = o.ProxyHostname ?? ProxyHostname;
        string proxyPortText = o.ProxyPort ?? ProxyPort;
        string proxyUser = o.ProxyUser ?? ProxyUser;
        Secret? proxyPassword = o.ProxyPassword ?? (ProxyPassword.Length > 0 ? new Secret(ProxyPassword) : null);
        ProxySettings? proxy = proxyHost.Length == 0
            ? null
            : new ProxySettings(proxyHost, ParsePort(proxyPortText, 3128), proxyUser.Length > 0 ? proxyUser : null,
                proxyPassword is { IsEmpty: false } ? proxyPassword : null);
        return new CandlepinSettings
        {
            Owner = string.IsNullOrEmpty(owner) ? null : owner,
            Hostname = hostname,
            Port = ParsePort(portText, 443),
            Prefix = prefix,
            Username = string.IsNullOrEmpty(o.Username) ? null : o.Username,
            Password = o.Password is { IsEmpty: false } ? o.Password : null,
            ConsumerCertDir = paths.Under(ConsumerCertDir),
            CaCertDir = paths.Under(CaCertDir),
            Insecure = IsTrueish(o.Insecure ?? Insecure),
            Proxy = proxy,
            NoProxy = string.IsNullOrEmpty(o.NoProxy) ? (NoProxy.Length > 0 ? NoProxy : null) : o.NoProxy,
            ServerTimeout = TimeSpan.FromSeconds(int.TryParse(ServerTimeout, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0 ? t : 180),
        };
    }

    private static int ParsePort(string text, int fallback) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 ? port : fallback;
}
