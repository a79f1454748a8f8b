using System.Text;
using HvMonitor.Reporter;
using HvMonitor.Reporter.Cli;
using HvMonitor.Reporter.Config;
using Xunit;

namespace HvMonitor.Tests.Reporter.Config;

/// <summary>docs/virt-who-compatibility.md, "Encrypted passwords": AES-128-CBC with the key file's key and IV, and encrypt-password.</summary>
public class PasswordCryptoTests
{
    private const string KeyText = "06a9214036b8a15b512e03d534120006\n3dafba429d9eb430b422da802c9fac41\n";
    private static readonly PasswordKey Key = PasswordKey.FromKeyFileText(KeyText);

    [Fact]
    public void RawSingleBlockMatchesTheUpstreamUnitTestVector() =>
        Assert.Equal("e353779c1079aeb82708942dbe77181a", Convert.ToHexStringLower(Key.EncryptRaw(Encoding.ASCII.GetBytes("Single block msg"))));

    [Theory]
    [InlineData("Single block msg", "e353779c1079aeb82708942dbe77181ab97c825e1c785146542d396941bce55d")]
    [InlineData("secret", "b4f98c1c1879f21addfe45f94a05b8dd")]
    [InlineData("pässwörd", "0e48a66b96ed34e079aaba0fd0122af0")]
    public void EncryptAndDecryptMatchTheReferenceVectors(string plain, string hex)
    {
        Assert.Equal(hex, Key.Encrypt(plain));
        Assert.Equal(plain, Key.Decrypt(hex));
        Assert.Equal(plain, Key.Decrypt(hex.ToUpperInvariant()));
    }

    [Fact]
    public void KeyLinesAreStrippedAndOnlyTheFirst16BytesCount()
    {
        var key = PasswordKey.FromKeyFileText("  06a9214036b8a15b512e03d534120006ffff  \n\n3dafba429d9eb430b422da802c9fac41aa\n");
        Assert.Equal("b4f98c1c1879f21addfe45f94a05b8dd", key.Encrypt("secret"));
    }

    [Theory]
    [InlineData("not hex")]
    [InlineData("abc")]
    [InlineData("b4f98c1c1879f21addfe45f94a05b8")] // 15 bytes: virt-who crashes here
    public void BadCiphertextIsAnError(string hex) => Assert.Throws<CiphertextException>(() => Key.Decrypt(hex));

    [Theory]
    [InlineData("")]
    [InlineData("06a9214036b8a15b512e03d534120006\n")]
    [InlineData("zz\nyy\n")]
    public void BadKeyFilesAreInvalidFormat(string text) =>
        Assert.Equal("Invalid format", Assert.Throws<KeyFileException>(() => PasswordKey.FromKeyFileText(text)).Message);

    [Fact]
    public void KeyNeverPrintsItself() => Assert.DoesNotContain("06a9", Key.ToString(), StringComparison.Ordinal);

    [Fact]
    public void EncryptPasswordCreatesTheKeyFile0600AndPrintsHexThatDecrypts()
    {
        using var root = new TempSysroot();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int rc = ReporterProgram.Run(["encrypt-password", "-p", "Sécret pass", "--sysroot", root.Root], stdout, stderr);
        Assert.Equal(0, rc);
        var keyFile = root.Paths.KeyFile;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(root.Paths.StateDirectory));
        var lines = File.ReadAllText(keyFile);
        Assert.Matches("^[0-9a-f]{32}\n[0-9a-f]{32}\n$", lines);
        Assert.Equal("Use following as value for encrypted_password key in the configuration file:\n", stderr.ToString());
        var hex = stdout.ToString().TrimEnd('\n');
        Assert.Matches("^[0-9a-f]{32}$", hex);
        Assert.Equal("Sécret pass", PasswordKey.Load(keyFile).Decrypt(hex));
        Assert.DoesNotContain("Sécret", stdout.ToString() + stderr.ToString(), StringComparison.Ordinal);

        // A second run reuses the key: the first value stays readable.
        var again = new StringWriter();
        Assert.Equal(0, ReporterProgram.Run(["encrypt-password", "-p", "Sécret pass", "--sysroot", root.Root], again, new StringWriter()));
        Assert.Equal(hex, again.ToString().TrimEnd('\n'));
    }

    [Fact]
    public void EncryptPasswordUsesAnExistingKey()
    {
        using var root = new TempSysroot();
        root.Write("/var/lib/virt-who/key", KeyText);
        var stdout = new StringWriter();
        Assert.Equal(0, ReporterProgram.Run(["encrypt-password", "--password=secret", $"--sysroot={root.Root}"], stdout, new StringWriter()));
        Assert.Equal("b4f98c1c1879f21addfe45f94a05b8dd\n", stdout.ToString());
    }

    [Fact]
    public void EncryptPasswordReadsThePasswordFromTheSeamWhenNotGiven()
    {
        using var root = new TempSysroot();
        root.Write("/var/lib/virt-who/key", KeyText);
        var options = ReportArgumentParser.Parse(["encrypt-password", "--sysroot", root.Root]);
        var stdout = new StringWriter();
        Assert.Equal(0, EncryptPasswordCommand.Run(options, stdout, new StringWriter(), () => "secret"));
        Assert.Equal("b4f98c1c1879f21addfe45f94a05b8dd\n", stdout.ToString());
    }
}
