namespace HvMonitor.Reporter.Config;

/// <summary>
/// Every fixed system path the reporter reads or writes, under an optional <c>--sysroot</c> so that tests
/// and admins trying hv-monitor beside a running virt-who never touch /etc.
/// </summary>
public sealed record ReporterPaths(string Sysroot)
{
    public static ReporterPaths Root { get; } = new("/");

    /// <summary>A fixed absolute path (e.g. /etc/virt-who.conf) under the sysroot.</summary>
    public string Under(string absolutePath) =>
        Sysroot is "/" or "" ? absolutePath : Path.Join(Sysroot, absolutePath);

    public string GeneralConfig => Under("/etc/virt-who.conf");
    public string ConfigDirectory => Under("/etc/virt-who.d");
    public string RhsmConf => Under("/etc/rhsm/rhsm.conf");
    public string MachineId => Under("/etc/machine-id");
    public string StateDirectory => Under("/var/lib/virt-who");
    public string KeyFile => Under("/var/lib/virt-who/key");
    public string RunData => Under("/var/lib/virt-who/run_data.json");
    public string DefaultLogDirectory => Under("/var/log/rhsm");
    public string PidFile => Under("/run/virt-who.pid");
    public string StatusLockFile => Under("/run/virt-who-status.pid");
}
