namespace HvMonitor.App;

/// <summary>net-snmp's extend cuts a command's output at a fixed size; LibreNMS then cannot decode it.</summary>
public static class OutputSize
{
    /// <summary>The largest output that reaches LibreNMS whole through snmpd's extend (see README, "Output size").</summary>
    public const int NetSnmpExtendLimitBytes = 100 * 1024;

    public static void WarnIfTooLarge(int bytes, string what, bool compressed, OperatorLog log)
    {
        if (bytes <= NetSnmpExtendLimitBytes)
            return;
        var remedy = compressed
            ? "even compressed, this host's report is too large for SNMP: LibreNMS will get a cut-off value it cannot decode"
            : "use the compressed form (-c, or serve the .snmp file written by -w), which is about 15 times smaller";
        log.Warn($"{what} is {bytes} bytes, above net-snmp's extend output limit of {NetSnmpExtendLimitBytes} bytes: {remedy}");
    }
}
