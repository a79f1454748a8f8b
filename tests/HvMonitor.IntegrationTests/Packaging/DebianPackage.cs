namespace HvMonitor.IntegrationTests.Packaging;

/// <summary>
/// The Debian package under test ($HV_MONITOR_DEB, which tests/run.sh sets after building it, else the newest
/// artifacts/hv-monitor_*.deb), installed and purged with apt/dpkg as an admin would. These tests change the
/// system (they install a package), so they run in the lab's collection, never beside another lab test, and
/// always purge what they installed.
/// </summary>
public static class DebianPackage
{
    public const string Name = "hv-monitor";

    public static string File { get; } = Locate();

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("HV_MONITOR_DEB") is { Length: > 0 } deb)
            return System.IO.File.Exists(deb) ? deb : throw new FileNotFoundException("HV_MONITOR_DEB does not exist", deb);
        var artifacts = Path.Combine(RepoPaths.Root, "artifacts");
        return (Directory.Exists(artifacts) ? Directory.GetFiles(artifacts, "hv-monitor_*.deb") : [])
                   .OrderByDescending(System.IO.File.GetLastWriteTimeUtc).FirstOrDefault()
               ?? throw new FileNotFoundException("no artifacts/hv-monitor_*.deb: build it (bash packaging/build-deb.sh artifacts/publish/hv-monitor artifacts, or dotnet cake --target=Package)");
    }

    private static readonly Dictionary<string, string> Noninteractive = new() { ["DEBIAN_FRONTEND"] = "noninteractive" };

    /// <summary>`apt-get install ./hv-monitor_*.deb`, as the README says.</summary>
    public static void Install()
    {
        var r = Shell.Run("apt-get", ["install", "-y", Path.GetFullPath(File)], Noninteractive, TimeSpan.FromMinutes(5));
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"apt-get install {File} exited {r.ExitCode}:\n{r.Stderr}\n{r.Stdout}");
    }

    /// <summary>dpkg -P when installed (or half-installed, or only its conffiles left); nothing otherwise.</summary>
    public static void Purge()
    {
        if (Status() is "")
            return;
        var r = Shell.Run("dpkg", ["-P", Name], Noninteractive, TimeSpan.FromMinutes(5));
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"dpkg -P {Name} exited {r.ExitCode}:\n{r.Stderr}\n{r.Stdout}");
    }

    /// <summary>dpkg's status of the package ("install ok installed", "deinstall ok config-files"), "" when unknown to dpkg.</summary>
    public static string Status()
    {
        var r = Shell.Run("dpkg-query", "-W", "-f=${Status}", Name);
        return r.ExitCode == 0 ? r.Stdout.Trim() : "";
    }

    /// <summary>Every path the installed package owns (dpkg -L).</summary>
    public static List<string> Files() =>
        Shell.Check("dpkg", "-L", Name).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "/.").ToList();
}

/// <summary>Installs the package once for a test class and purges it afterwards, even when a test failed.</summary>
public sealed class InstalledPackageFixture : IDisposable
{
    public InstalledPackageFixture()
    {
        DebianPackage.Purge(); // a leftover of an interrupted run
        DebianPackage.Install();
    }

    public void Dispose() => DebianPackage.Purge();
}
