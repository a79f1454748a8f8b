using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HvMonitor.IntegrationTests.Reporter.Candlepin;

/// <summary>
/// A small HTTP CONNECT proxy on 127.0.0.1: records each tunnel request's head (request line and headers),
/// optionally demands Proxy-Authorization, then pipes bytes both ways (TLS stays end to end).
/// </summary>
public sealed class ConnectProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _heads = new();

    public ConnectProxy(string? requiredAuthorization = null)
    {
        RequiredAuthorization = requiredAuthorization;
        _listener.Start();
        _ = AcceptLoop();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    /// <summary>"Basic …" the client must send, or null for none.</summary>
    public string? RequiredAuthorization { get; }
    public IReadOnlyList<string> Heads => [.. _heads];

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var head = await ReadHead(stream);
        _heads.Enqueue(head);
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || parts[0] != "CONNECT")
        {
            await Reply(stream, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        if (RequiredAuthorization is not null && !lines.Contains("Proxy-Authorization: " + RequiredAuthorization))
        {
            await Reply(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        var hostPort = parts[1];
        int colon = hostPort.LastIndexOf(':');
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(hostPort[..colon], int.Parse(hostPort[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (SocketException)
        {
            await Reply(stream, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        await Reply(stream, "HTTP/1.1 200 Connection established\r\n\r\n");
        var up = upstream.GetStream();
        var a = stream.CopyToAsync(up, _stop.Token);
        var b = up.CopyToAsync(stream, _stop.Token);
        try
        {
            await Task.WhenAny(a, b);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
    }

    private static async Task Reply(Stream stream, string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text));

    private static async Task<string> ReadHead(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16384 && await stream.ReadAsync(one) == 1)
        {
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n')
                break;
        }
        return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r', '\n');
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
