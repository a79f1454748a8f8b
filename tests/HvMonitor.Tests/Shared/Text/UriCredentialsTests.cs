using HvMonitor.Shared.Text;
using Xunit;

namespace HvMonitor.Tests.Shared.Text;

public sealed class UriCredentialsTests
{
    [Theory]
    [InlineData("qemu+tcp://monitor:PW@host/system", "qemu+tcp://monitor:***@host/system")]
    [InlineData("qemu+ssh://root:p@ss/w:rd@[fe80::1]:22/system?no_tty=1", "qemu+ssh://root:***@[fe80::1]:22/system?no_tty=1")]
    [InlineData("esx://admin:s3cret@esx.example/?no_verify=1&password=x&passwd=y", "esx://admin:***@esx.example/?no_verify=1&password=***&passwd=***")]
    [InlineData("qemu+tls://host/system?pkipath=/etc/pki/x&api_token=abc", "qemu+tls://host/system?pkipath=/etc/pki/x&api_token=***")]
    [InlineData("qemu+ssh://monitor@host/system", "qemu+ssh://monitor@host/system")]
    [InlineData("qemu:///system", "qemu:///system")]
    [InlineData("test:///default", "test:///default")]
    [InlineData("qemu+unix:///system?socket=/run/libvirt/libvirt-sock-ro", "qemu+unix:///system?socket=/run/libvirt/libvirt-sock-ro")]
    [InlineData("", "")]
    [InlineData("?", "?")]
    [InlineData("://@", "://@")]
    [InlineData("not a uri at all: user:pw@x", "not a uri at all: user:pw@x")]
    public void PasswordsAreMaskedAndTheRestKept(string uri, string masked) => Assert.Equal(masked, UriCredentials.MaskUri(uri));

    [Fact]
    public void AMessageLosesThePasswordWhereverItAppears()
    {
        const string uri = "qemu+tcp://monitor:Sup3rS3cret@10.0.0.1/system";
        var text = $"cannot connect to libvirt at '{uri}': authentication for Sup3rS3cret failed";
        var redacted = UriCredentials.Redact(text, uri);
        Assert.DoesNotContain("Sup3rS3cret", redacted);
        Assert.Contains("qemu+tcp://monitor:***@10.0.0.1/system", redacted);
    }

    [Fact]
    public void AUriWithoutSecretsLeavesTheMessageAlone()
    {
        Assert.Equal("x 'qemu:///system' y", UriCredentials.Redact("x 'qemu:///system' y", "qemu:///system"));
        Assert.Equal("text", UriCredentials.Redact("text", null));
    }

    /// <summary>Whatever the text, masking never throws (it runs inside error handling).</summary>
    [Fact]
    public void RandomTextNeverThrows()
    {
        var random = new Random(13);
        const string alphabet = ":/@?&=#[]%pw";
        for (int i = 0; i < 2000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var masked = UriCredentials.MaskUri(text);
            _ = UriCredentials.Redact("[" + text + "]", text);
            Assert.NotNull(masked);
        }
    }
}
