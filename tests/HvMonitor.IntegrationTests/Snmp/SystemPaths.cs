using System.Globalization;

namespace HvMonitor.IntegrationTests.Snmp;

/// <summary>
/// The examples use real system paths (/var/cache/hv_monitor.json, /var/cache/hv-monitor/ ...). A test
/// that uses them moves whatever is there aside first and puts it back afterwards, removing what the
/// test created, so a host's own hv-monitor files survive a test run.
/// </summary>
public sealed class SystemPathGuard : IDisposable
{
    private const string Suffix = ".hvm-test-saved";
    private readonly List<string> _paths;

    public SystemPathGuard(params string[] paths)
    {
        _paths = [.. paths];
        foreach (var path in _paths)
        {
            if (Exists(path + Suffix))
                throw new InvalidOperationException($"{path + Suffix} exists (left by an interrupted test run?): restore or remove it by hand");
            if (Exists(path))
                Directory.Move(path, path + Suffix); // works for files as well as directories
        }
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    public void Dispose()
    {
        foreach (var path in _paths)
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
            else if (File.Exists(path))
                File.Delete(path);
            if (Exists(path + Suffix))
                Directory.Move(path + Suffix, path);
        }
    }
}

/// <summary>The unprivileged user snmpd runs as on Debian, and running things as that user.</summary>
public static class SnmpdUser
{
    public const string Name = Snmpd.DebianUser;

    public static int Uid => int.Parse(Shell.Check("id", "-u", Name).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Runs a command as the user, with its groups and a service's bare environment (no HOME), as snmpd would.</summary>
    public static CommandResult Run(string file, params string[] args) =>
        Shell.Run("setpriv", ["--reuid", Name, "--regid", Name, "--init-groups", "--", "env", "-i",
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", file, .. args]);

    /// <summary>A directory owned by the user, mode 0755, as the README tells users to create.</summary>
    public static void CreateOwnedDirectory(string path)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        Shell.Check("chown", $"{Name}:{Name}", path);
    }

    /// <summary>
    /// The binary under test at a path the user can execute. It is used in place if every directory
    /// above it is searchable by others; otherwise (e.g. a checkout under /root) its directory is copied
    /// to a world-readable temporary one.
    /// </summary>
    public static string Binary { get; } = LocateBinary();

    private static string LocateBinary()
    {
        var path = HvMonitorBinary.Path;
        bool reachable = File.GetUnixFileMode(path).HasFlag(UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(path)!); reachable && dir is not null; dir = dir.Parent)
            reachable = File.GetUnixFileMode(dir.FullName).HasFlag(UnixFileMode.OtherExecute);
        if (reachable)
            return path;
        var copy = Directory.CreateTempSubdirectory("hvm-bin-").FullName;
        File.SetUnixFileMode(copy, (UnixFileMode)0b111_101_101);
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!))
        {
            var target = Path.Combine(copy, Path.GetFileName(file));
            File.Copy(file, target);
            File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101);
        }
        return Path.Combine(copy, Path.GetFileName(path));
    }
}
