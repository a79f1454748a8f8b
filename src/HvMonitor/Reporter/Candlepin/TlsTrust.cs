using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HvMonitor.Reporter.Candlepin;

/// <summary>
/// docs/virt-who-compatibility.md, D1: the server certificate must chain to the system store or to a <c>ca_cert_dir/*.pem</c>
/// certificate, and name the host; only a true-ish insecure value turns that off. The reason for a
/// refusal is kept so the error can say what was wrong.
/// </summary>
public sealed class TlsTrust(string caCertDir, bool insecure)
{
    private X509Certificate2Collection? _anchors;

    public string? LastFailure { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (insecure || errors == SslPolicyErrors.None)
            return true;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return Refuse("the server sent no certificate");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return Refuse($"the server certificate '{certificate.Subject}' does not name the host");
        // Only the chain failed against the system store: try the rhsm CA directory.
        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        own.ChainPolicy.CustomTrustStore.AddRange(Anchors());
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements.Skip(1))
                own.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        using var leaf = new X509Certificate2(certificate);
        if (own.Build(leaf))
            return true;
        var status = string.Join(", ", own.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return Refuse($"certificate verify failed: '{certificate.Subject}' is not signed by a trusted CA ({status})");
    }

    private bool Refuse(string why)
    {
        LastFailure = why;
        return false;
    }

    private X509Certificate2Collection Anchors()
    {
        if (_anchors is not null)
            return _anchors;
        var anchors = new X509Certificate2Collection();
        if (Directory.Exists(caCertDir))
        {
            foreach (var file in Directory.EnumerateFiles(caCertDir, "*.pem").Order(StringComparer.Ordinal))
            {
                try
                {
                    anchors.ImportFromPemFile(file);
                }
                catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
                {
                    // An unreadable CA file trusts nothing; the refusal message names the directory.
                }
            }
        }
        return _anchors = anchors;
    }
}
