namespace HvMonitor.Shared.Commands;

/// <summary>
/// Where each logical program lives. CBSD installs into /usr/local/bin (ports); the rest is FreeBSD's base
/// system. Absolute paths, so that cron's or snmpd's short PATH cannot pick another program.
/// </summary>
public sealed record CommandLocations
{
    public static CommandLocations FreeBsdDefaults { get; } = new(new Dictionary<string, string>
    {
        ["cbsd"] = "/usr/local/bin/cbsd",
        ["ps"] = "/bin/ps",
        ["netstat"] = "/usr/bin/netstat",
        ["ifconfig"] = "/sbin/ifconfig",
        ["zfs"] = "/sbin/zfs",
        ["sysctl"] = "/sbin/sysctl",
    });

    private readonly IReadOnlyDictionary<string, string> _paths;

    public CommandLocations(IReadOnlyDictionary<string, string> paths) => _paths = paths;

    /// <summary>The same locations with one program moved (e.g. <c>--cbsd-path</c>).</summary>
    public CommandLocations With(string program, string path) =>
        new(new Dictionary<string, string>(_paths) { [program] = path });

    /// <summary>The path to start for a logical name; an unknown name is used as given.</summary>
    public string Resolve(string program) => _paths.TryGetValue(program, out var path) ? path : program;
}
