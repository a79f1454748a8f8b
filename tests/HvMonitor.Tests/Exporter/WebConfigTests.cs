using HvMonitor.Exporter;
using Xunit;

namespace HvMonitor.Tests.Exporter;

public class WebConfigTests
{
    // Made with Apache's htpasswd (an independent bcrypt implementation): htpasswd -nbBC 4 alice 'correct horse'
    // and htpasswd -nbBC 10 bob 'p"ss\w0rd'.
    private const string AliceHash = "$2y$04$cNlpdEsYUepvG/bQA7TO.OBIuYzGYeIDc31ytmB52eL48IZvPT066";
    private const string BobHash = "$2y$10$ZT2e7BJncQCc2MaLYdNuT.WLazhz4.Dtq50QKqwcq/h8Ol8XnEX4G";

    private static WebConfig Parse(string text) => WebConfig.Parse(text, "web.yml", "/etc/hv");

    [Fact]
    public void TheExporterToolkitFormatIsRead()
    {
        var c = Parse($"""
            ---
            # TLS and two users
            tls_server_config:
              cert_file: server.crt   # relative to the file
              key_file: "/abs/server.key"
            basic_auth_users:
              alice: {AliceHash}
              'bob': "{BobHash}"
            """);
        Assert.Equal("/etc/hv/server.crt", c.CertFile);
        Assert.Equal("/abs/server.key", c.KeyFile);
        Assert.True(c.Tls);
        Assert.Equal(AliceHash, c.Users["alice"]);
        Assert.Equal(BobHash, c.Users["bob"]);
    }

    [Fact]
    public void AnEmptyFileOrEmptySectionsMeanNoTlsAndNoAuth()
    {
        Assert.False(Parse("").Tls);
        var c = Parse("basic_auth_users: {}\n");
        Assert.Empty(c.Users);
    }

    [Theory]
    [InlineData("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n", "web.yml:4: tls_server_config.client_auth_type is not supported")]
    [InlineData("http_server_config:\n  http2: false\n", "web.yml:1: 'http_server_config' is not supported")]
    [InlineData("tls_server_config:\n  cert_file: a\n", "web.yml:1: tls_server_config needs both cert_file and key_file")]
    [InlineData("basic_auth_users:\n\talice: x\n", "web.yml:2: a tab in the indentation")]
    [InlineData("basic_auth_users:\n  - alice\n", "web.yml:2: lists are not supported")]
    [InlineData("basic_auth_users:\n  alice: &a x\n", "web.yml:2: '&a x' uses YAML syntax that is not supported")]
    [InlineData("basic_auth_users:\n  alice: plain-text-password\n", "web.yml:2: basic_auth_users.alice: not a bcrypt hash")]
    [InlineData("basic_auth_users:\n  alice: 'unclosed\n", "web.yml:2: a quoted string is not closed")]
    [InlineData("tls_server_config:\n  cert_file: a\n    key_file: b\n", "web.yml:3: indentation differs")]
    [InlineData("tls_server_config: yes\n", "web.yml:1: 'tls_server_config' must be a mapping")]
    [InlineData("basic_auth_users:\n  a: $2y$04$cNlpdEsYUepvG/bQA7TO.OBIuYzGYeIDc31ytmB52eL48IZvPT066\n  a: $2y$04$cNlpdEsYUepvG/bQA7TO.OBIuYzGYeIDc31ytmB52eL48IZvPT066\n", "web.yml:3: 'a' appears twice")]
    public void AnythingElseIsRefusedWithItsLine(string text, string message)
    {
        var e = Assert.Throws<WebConfigException>(() => Parse(text));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void BcryptVerifiesHtpasswdHashes()
    {
        Assert.True(BcryptHash.Matches("correct horse", AliceHash));
        Assert.False(BcryptHash.Matches("correct horse ", AliceHash));
        Assert.True(BcryptHash.Matches("p\"ss\\w0rd", BobHash));
        Assert.False(BcryptHash.Matches("p\"ss\\w0rD", BobHash));
        Assert.False(BcryptHash.Matches("anything", "$2y$04$tooShort"));
    }

    [Fact]
    public void BasicAuthChecksUserAndPassword()
    {
        var users = new BcryptHash(new Dictionary<string, string> { ["alice"] = AliceHash });
        static string Header(string s) => "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(s));
        Assert.True(BasicAuth.Authorized(Header("alice:correct horse"), users));
        Assert.True(BasicAuth.Authorized(Header("alice:correct horse"), users)); // the cached path
        Assert.False(BasicAuth.Authorized(Header("alice:wrong"), users));
        Assert.False(BasicAuth.Authorized(Header("bob:correct horse"), users));
        Assert.False(BasicAuth.Authorized(Header("alice"), users));
        Assert.False(BasicAuth.Authorized("Basic !!!", users));
        Assert.False(BasicAuth.Authorized("Bearer x", users));
        Assert.False(BasicAuth.Authorized(null, users));
    }
}
