using System.Net.Sockets;
using System.Text;

namespace HvMonitor.Reporter.Daemon;

/// <summary>
/// sd_notify without libsystemd: one datagram to the unix socket named by NOTIFY_SOCKET (a leading '@'
/// means the abstract namespace). Outside systemd (no variable) it does nothing.
/// </summary>
public static class SystemdNotify
{
    public static void Ready() => Send($"READY=1\nMAINPID={Environment.ProcessId}");

    public static void Status(string message) => Send("STATUS=" + message.Replace('\n', ' '));

    public static void Stopping() => Send("STOPPING=1");

    public static void Reloading() => Send("RELOADING=1");

    private static void Send(string state)
    {
        var socketPath = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(socketPath))
            return;
        if (socketPath[0] == '@')
            socketPath = "\0" + socketPath[1..];
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.Send(Encoding.UTF8.GetBytes(state));
        }
        catch (SocketException)
        {
            // systemd went away or the socket is not ours to use: readiness is best effort.
        }
    }
}
