using System.Globalization;
using HvMonitor.Collector.App;

namespace HvMonitor.Collector.Output;

/// <summary>
/// How much output reaches LibreNMS through snmpd's extend, measured with Debian 12's net-snmp 5.9.3
/// (docs/librenms.md, "Output size"; checked by tests/HvMonitor.IntegrationTests/Snmp/OutputSizeTests.cs):
/// <list type="bullet">
/// <item>Over UDP, LibreNMS's default transport, the whole SNMP reply must fit in one datagram (65,507
///   bytes). For nsExtendOutputFull."hv-monitor" the largest value snmpget receives is 65,438 bytes with
///   SNMPv2c and community "public", 65,402 with a 42-character community, 65,325 with SNMPv3 authPriv.
///   Past that snmpd cannot send the reply at all ("send response: Failure in sendto") and the poll
///   times out.</item>
/// <item>Over TCP, snmpd's extend keeps the first 102,399 bytes of a command's output and cuts the rest.</item>
/// </list>
/// </summary>
public static class OutputSize
{
    /// <summary>
    /// The largest output (final newline included) that LibreNMS can poll over UDP: 65,000 bytes, which
    /// leaves room below the measured 65,438 for longer communities and SNMPv3.
    /// </summary>
    public const int UdpLimitBytes = 65_000;

    /// <summary>What snmpd's extend keeps of a command's output, on any transport (the newline is dropped anyway).</summary>
    public const int ExtendBufferBytes = 102_399;

    public static void WarnIfTooLarge(int bytes, string what, bool compressed, OperatorLog log)
    {
        if (bytes <= UdpLimitBytes)
            return;
        var size = string.Create(CultureInfo.InvariantCulture, $"{what} is {bytes} bytes");
        var udp = string.Create(CultureInfo.InvariantCulture,
            $"over SNMP/UDP, LibreNMS's default, at most {UdpLimitBytes} bytes get through (a reply must fit one UDP datagram; measured with net-snmp 5.9), so LibreNMS's poll will time out");
        string message;
        if (!compressed)
            message = $"{size}; {udp}: use the compressed form (-c, or serve the .snmp file that -w writes), 2.5 to 11 times smaller";
        else if (bytes - 1 <= ExtendBufferBytes)
            message = string.Create(CultureInfo.InvariantCulture,
                $"{size}; {udp}: poll this device over TCP (LibreNMS: device settings, SNMP transport 'tcp'; snmpd.conf: 'agentaddress udp:161,tcp:161'), which carries up to {ExtendBufferBytes} bytes");
        else
            message = string.Create(CultureInfo.InvariantCulture,
                $"{size}, more than snmpd's extend passes on even over TCP ({ExtendBufferBytes} bytes; net-snmp cuts the rest), so LibreNMS cannot decode it: this host has too many VMs for one SNMP extend (see docs/librenms.md, \"Output size\")");
        log.Warn(message);
    }
}
