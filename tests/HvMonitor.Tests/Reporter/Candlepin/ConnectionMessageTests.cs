using System.Net.Sockets;
using HvMonitor.Reporter.Candlepin;
using HvMonitor.Shared.Text;
using HvMonitor.Reporter.Sources;
using Xunit;

namespace HvMonitor.Tests.Reporter.Candlepin;

/// <summary>What a failed connection says: our log text, Python's socket text for status, and the proxy's name without credentials.</summary>
public sealed class ConnectionMessageTests
{
    [Fact]
    public void ARefusedConnectionHasOurTextAndPythonsErrnoForm()
    {
        var e = CandlepinException.ConnectionFailed("cp.example.com:443", new SocketException((int)SocketError.ConnectionRefused), new IOException());
        Assert.Equal("Unable to connect to cp.example.com:443: Connection refused", e.Message);
        Assert.Equal("[Errno 111] Connection refused", e.PythonSocketText); // Linux's ECONNREFUSED
        var unknown = CandlepinException.ConnectionFailed("nowhere:443", new SocketException((int)SocketError.HostNotFound), new IOException());
        Assert.Equal("[Errno -2] Name or service not known", unknown.PythonSocketText);
    }

    [Theory]
    [InlineData("proxy.example.com", "proxy.example.com:3128")]
    [InlineData("user:pass@proxy.example.com", "proxy.example.com:3128")]
    public void TheProxyIsNamedWithoutCredentials(string host, string expected) =>
        Assert.Equal(expected, ProxyTunnel.Name(new ProxySettings(host, 3128, "user", new Secret("pass"))));
}
