using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HvMonitor.IntegrationTests.Reporter.Candlepin;

/// <summary>
/// A throw-away PKI made at test time: a CA, the stand-in's server certificate for 127.0.0.1/localhost,
/// and a consumer certificate (CN = the consumer UUID) as subscription-manager leaves in
/// /etc/pki/consumer. Written as PEM files into <see cref="Root"/>: ca/ (ca_cert_dir) and consumer/.
/// </summary>
public sealed class TestPki : IDisposable
{
    public const string ConsumerUuid = "5f1b2c3d-0a1b-4c2d-8e3f-123456789abc";

    public string Root { get; }
    public string CaDir => Path.Combine(Root, "ca");
    public string ConsumerDir => Path.Combine(Root, "consumer");
    public X509Certificate2 Ca { get; }
    public X509Certificate2 Server { get; }
    public X509Certificate2 Consumer { get; }

    public TestPki(string caName = "hv-monitor test CA")
    {
        Root = Directory.CreateTempSubdirectory("hvm-pki-").FullName;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        Ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        Server = Issue("CN=localhost", san.Build(), new Oid("1.3.6.1.5.5.7.3.1"));
        Consumer = Issue($"CN={ConsumerUuid}", null, new Oid("1.3.6.1.5.5.7.3.2"));

        Directory.CreateDirectory(CaDir);
        Directory.CreateDirectory(ConsumerDir);
        File.WriteAllText(Path.Combine(CaDir, "test-ca.pem"), Ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(CaDir, "not-a-cert.txt"), "only *.pem files are read");
        File.WriteAllText(Path.Combine(ConsumerDir, "cert.pem"), Consumer.ExportCertificatePem());
        File.WriteAllText(Path.Combine(ConsumerDir, "key.pem"), Consumer.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    private X509Certificate2 Issue(string subject, X509Extension? san, Oid usage)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        if (san is not null)
            request.CertificateExtensions.Add(san);
        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(Ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), serial);
        // Kestrel needs the private key attached and exportable in PKCS#12 form.
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>True when the certificate was issued by this PKI's CA.</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
