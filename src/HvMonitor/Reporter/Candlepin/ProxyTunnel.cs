using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using HvMonitor.Shared.Text;

namespace HvMonitor.Reporter.Candlepin;

/// <summary>
/// Opens the TCP stream the HTTPS connection runs over: straight to Candlepin, or through the proxy with a
/// plain <c>CONNECT host:port</c> (headers User-Agent, Host and, with a user, Proxy-Authorization), TLS then
/// end to end (docs/virt-who-compatibility.md, "Connection and headers"). Hosts matching no_proxy go direct.
/// </summary>
public static class ProxyTunnel
{
    public static async ValueTask<Stream> ConnectAsync(CandlepinSettings settings, string userAgent, DnsEndPoint target, CancellationToken cancellation)
    {
        var proxy = settings.Proxy ?? FromEnvironment(Environment.GetEnvironmentVariable);
        var noProxy = settings.NoProxy ?? FirstSet(Environment.GetEnvironmentVariable, "no_proxy", "NO_PROXY");
        if (proxy is null || string.IsNullOrEmpty(proxy.Hostname) || Bypasses(noProxy, target.Host))
            return await OpenAsync(target.Host, target.Port, cancellation).ConfigureAwait(false);

        var hostPort = $"{target.Host}:{target.Port.ToString(CultureInfo.InvariantCulture)}";
        Stream stream;
        try
        {
            stream = await OpenAsync(proxy.Hostname, proxy.Port, cancellation).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            // Name the proxy, not only the Candlepin host behind it: that is where the connection failed.
            throw CandlepinException.ConnectionFailed($"the proxy {Name(proxy)} (on the way to {hostPort})", e, e);
        }
        try
        {
            var request = new StringBuilder()
                .Append("CONNECT ").Append(hostPort).Append(" HTTP/1.1\r\n")
                .Append("Host: ").Append(hostPort).Append("\r\n")
                .Append("User-Agent: ").Append(userAgent).Append("\r\n");
            if (!string.IsNullOrEmpty(proxy.User) && proxy.Password is { IsEmpty: false } password)
                request.Append("Proxy-Authorization: Basic ")
                    .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(proxy.User + ":" + password.Reveal()))).Append("\r\n");
            request.Append("\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), cancellation).ConfigureAwait(false);
            var statusLine = await ReadHeadAsync(stream, cancellation).ConfigureAwait(false);
            var parts = statusLine.Split(' ', 3);
            if (parts.Length < 2 || parts[1] != "200")
                throw new CandlepinException(CandlepinFailure.Connection,
                    $"Unable to connect to {hostPort}: the proxy {Name(proxy)} refused the tunnel ({statusLine.Trim()})");
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>host:port of the proxy for messages; a user or password written into the host setting is left out.</summary>
    public static string Name(ProxySettings proxy)
    {
        var host = proxy.Hostname;
        int at = host.LastIndexOf('@');
        return $"{(at >= 0 ? host[(at + 1)..] : host)}:{proxy.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    private static async Task<Stream> OpenAsync(string host, int port, CancellationToken cancellation)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellation).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads the proxy's answer up to the blank line; returns its status line.</summary>
    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellation)
    {
        var head = new List<byte>(256);
        var one = new byte[1];
        while (head.Count < 16384)
        {
            if (await stream.ReadAsync(one, cancellation).ConfigureAwait(false) == 0)
                throw new CandlepinException(CandlepinFailure.Interrupted, "Communication with subscription manager interrupted (the proxy closed the connection)");
            head.Add(one[0]);
            int n = head.Count;
            if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n')
                break;
        }
        var text = Encoding.ASCII.GetString(head.ToArray());
        int end = text.IndexOf("\r\n", StringComparison.Ordinal);
        return end >= 0 ? text[..end] : text;
    }

    /// <summary>
    /// The proxy of the environment when neither the section nor rhsm.conf names one (as rhsm does):
    /// https_proxy, HTTPS_PROXY, http_proxy, HTTP_PROXY, as <c>[http[s]://][user[:password]@]host[:port]</c>.
    /// </summary>
    public static ProxySettings? FromEnvironment(Func<string, string?> environment)
    {
        var text = FirstSet(environment, "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY");
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (!text.Contains("://", StringComparison.Ordinal))
            text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            return null;
        string? user = null;
        Secret? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
                password = new Secret(Uri.UnescapeDataString(parts[1]));
        }
        return new ProxySettings(uri.Host, uri.IsDefaultPort ? 3128 : uri.Port, user, password);
    }

    private static string? FirstSet(Func<string, string?> environment, params string[] names) =>
        names.Select(environment).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    /// <summary>
    /// no_proxy: comma-separated; "*" matches every host; an entry matches the host itself and every
    /// name under it (".example.com" and "example.com" both match "cp.example.com"). Case-insensitive.
    /// </summary>
    public static bool Bypasses(string? noProxy, string host)
    {
        if (string.IsNullOrWhiteSpace(noProxy))
            return false;
        host = host.Trim('[', ']').ToLowerInvariant();
        foreach (var raw in noProxy.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var entry = raw.ToLowerInvariant();
            if (entry == "*")
                return true;
            entry = entry.TrimStart('.');
            if (entry.Length > 0 && (host == entry || host.EndsWith("." + entry, StringComparison.Ordinal)))
                return true;
        }
        return false;
    }
}
