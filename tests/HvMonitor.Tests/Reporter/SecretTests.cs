using HvMonitor.Reporter;
using HvMonitor.Shared.Text;
using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Sources;
using Xunit;

namespace HvMonitor.Tests.Reporter;

/// <summary>
/// Secrets (passwords, decrypted values, the key file) never reach stdout or the log, at every log level:
/// print mode runs over sections whose sources fail (nothing listens on 127.0.0.1:1), so errors are logged.
/// </summary>
public class SecretTests
{
    private const string KeyText = "06a9214036b8a15b512e03d534120006\n3dafba429d9eb430b422da802c9fac41\n";

    private static readonly string[] Secrets =
    [
        "PlainLibvirtPw1", "UrlPw2", "RhsmPw3", "ProxyPw4", "SatPw5", "secret", "pässwörd",
        "06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41",
    ];

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("", new[] { "-d" })]
    [InlineData("debug=true\n", new string[0])]
    public void NoSecretInAnyOutput(string global, string[] flags)
    {
        using var root = new TempSysroot();
        root.Write("/var/lib/virt-who/key", KeyText);
        root.Write("/etc/virt-who.conf", "[global]\n" + global);
        root.Write("/etc/rhsm/rhsm.conf", "[server]\nproxy_hostname=proxy\nproxy_password=ProxyPw4\n");
        root.DropIn("secrets.conf",
            // encrypted_password decrypts to "secret", rhsm_encrypted_password to "pässwörd"
            "[a-typed]\ntype=libvirt\nserver=qemu+tcp://admin:UrlPw2@127.0.0.1:1/system\nowner=o\nusername=admin\npassword=PlainLibvirtPw1\n" +
            "encrypted_password=b4f98c1c1879f21addfe45f94a05b8dd\nrhsm_password=RhsmPw3\nrhsm_encrypted_password=0e48a66b96ed34e079aaba0fd0122af0\n" +
            "rhsm_proxy_password=ProxyPw4\n" +
            "[b-generic]\nserver=qemu+tcp://admin:UrlPw2@127.0.0.1:1/system\nowner=o\npassword=PlainLibvirtPw1\n" +
            "[c-satellite]\ntype=libvirt\nsm_type=satellite\nsat_server=s\nsat_username=u\nsat_password=SatPw5\n" +
            "[d-bad]\ntype=libvirt\nhypervisor_id=x\npassword=PlainLibvirtPw1\nrhsm_encrypted_password=nothex\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ReporterProgram.Run([.. flags, "-p", "--sysroot", root.Root], stdout, stderr);
        Assert.Equal(0, code);
        var all = stdout + stderr.ToString();
        Assert.Contains("[a-typed]: unable to read the source", all);
        Assert.Contains("[b-generic]: unable to read the source", all);
        if (flags.Length > 0 || global.Length > 0)
            Assert.Contains("[DEBUG]", all);
        foreach (var secret in Secrets)
            Assert.DoesNotContain(secret, all, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SecretAndSettingsPrintAMask()
    {
        var secret = new Secret("hunter2");
        var settings = new CandlepinSettings { Hostname = "h", Prefix = "/p", ConsumerCertDir = "/c", CaCertDir = "/a", Password = secret, Proxy = new ProxySettings("p", 1, "u", secret) };
        Assert.DoesNotContain("hunter2", $"{secret} {settings}", StringComparison.Ordinal);
    }
}
