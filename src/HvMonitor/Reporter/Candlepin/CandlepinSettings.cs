using HvMonitor.Shared.Text;

namespace HvMonitor.Reporter.Candlepin;

/// <summary>
/// Everything needed to talk to one Candlepin destination, resolved from a section's <c>owner</c> and
/// <c>rhsm_*</c> keys over /etc/rhsm/rhsm.conf (docs/virt-who-compatibility.md, "Destinations and rhsm.conf", "Connection and headers"). Value equality: sections whose
/// settings are equal share one destination (one heartbeat, one batched check-in).
/// The configuration loader builds it; the Candlepin client and the daemon only read it.
/// </summary>
public sealed record CandlepinSettings
{
    /// <summary>null or empty: the section has no owner and uses the local consumer update.</summary>
    public string? Owner { get; init; }
    public required string Hostname { get; init; }
    public int Port { get; init; } = 443;
    /// <summary>Pasted verbatim before each path, e.g. "/candlepin" or "/rhsm".</summary>
    public required string Prefix { get; init; }
    /// <summary>HTTP Basic when both are non-empty; otherwise the consumer certificate.</summary>
    public string? Username { get; init; }
    public Secret? Password { get; init; }
    /// <summary>Holds cert.pem and key.pem (rhsm.conf [rhsm] consumerCertDir), already under --sysroot.</summary>
    public required string ConsumerCertDir { get; init; }
    /// <summary>Its *.pem files are trusted (rhsm.conf [rhsm] ca_cert_dir), already under --sysroot.</summary>
    public required string CaCertDir { get; init; }
    /// <summary>docs/virt-who-compatibility.md, D1: true only for a true-ish insecure/rhsm_insecure value (1, true, yes, on).</summary>
    public bool Insecure { get; init; }
    public ProxySettings? Proxy { get; init; }
    /// <summary>Comma-separated host patterns that bypass the proxy (rhsm_no_proxy, rhsm.conf, NO_PROXY).</summary>
    public string? NoProxy { get; init; }
    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromSeconds(180);
}

public sealed record ProxySettings(string Hostname, int Port, string? User, Secret? Password);
