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
        ["sysrc"] = "/usr/sbin/sysrc",
    });

    /// <summary>
    /// The PATH every child gets (the runner passes no other): FreeBSD's base directories, then the ports' ones
    /// where CBSD lives. CBSD's scripts start helpers by name (sqlite3, column, sysrc, ...), so they need one.
    /// </summary>
    public const string DefaultSearchPath = "/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin";

    private readonly IReadOnlyDictionary<string, string> _paths;

    public CommandLocations(IReadOnlyDictionary<string, string> paths, string searchPath = DefaultSearchPath)
    {
        _paths = paths;
        SearchPath = searchPath;
    }

    /// <summary>The PATH given to every child process.</summary>
    public string SearchPath { get; }

    /// <summary>The same locations with one program moved (e.g. <c>--cbsd-path</c>).</summary>
    public CommandLocations With(string program, string path) =>
        new(new Dictionary<string, string>(_paths) { [program] = path }, SearchPath);

    /// <summary>The path to start for a logical name; an unknown name is used as given.</summary>
    public string Resolve(string program) => _paths.TryGetValue(program, out var path) ? path : program;
}
