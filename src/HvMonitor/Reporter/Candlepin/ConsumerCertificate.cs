using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HvMonitor.Reporter.Candlepin;

/// <summary>The registered system's identity: <c>consumerCertDir/cert.pem</c> + <c>key.pem</c>.</summary>
public static class ConsumerCertificate
{
    public const string NotRegistered = "Unable to read certificate, system is not registered or you are not root";

    public static X509Certificate2 Load(string consumerCertDir)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(Path.Combine(consumerCertDir, "cert.pem"), Path.Combine(consumerCertDir, "key.pem"));
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CandlepinException(CandlepinFailure.NotRegistered, NotRegistered, inner: e);
        }
    }

    /// <summary>The consumer UUID the local update goes to: the CN of cert.pem (needed even with Basic auth).</summary>
    public static string ConsumerUuid(string consumerCertDir)
    {
        try
        {
            using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(consumerCertDir, "cert.pem")));
            var cn = cert.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            return string.IsNullOrEmpty(cn) ? throw new CandlepinException(CandlepinFailure.NotRegistered, NotRegistered) : cn;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CandlepinException(CandlepinFailure.NotRegistered, NotRegistered, inner: e);
        }
    }
}
