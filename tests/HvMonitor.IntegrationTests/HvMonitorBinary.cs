namespace HvMonitor.IntegrationTests;

/// <summary>
/// The binary under test: $HV_MONITOR_BIN (tests/run.sh points it at the published single file),
/// else the apphost of the last build.
/// </summary>
public static class HvMonitorBinary
{
    public static string Path { get; } = Locate();

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("HV_MONITOR_BIN") is { Length: > 0 } bin)
            return File.Exists(bin) ? bin : throw new FileNotFoundException("HV_MONITOR_BIN does not exist", bin);
        var candidates = new[] { "Release", "Debug" }
            .Select(c => System.IO.Path.Combine(RepoPaths.Root, "src", "HvMonitor", "bin", c, "net10.0", "hv-monitor"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .ToList();
        return candidates.FirstOrDefault()
               ?? throw new FileNotFoundException("hv-monitor is not built; run dotnet build or set HV_MONITOR_BIN");
    }

    public static CommandResult Run(params string[] args) => Shell.Run(Path, args);

    public static CommandResult RunWithEnv(IDictionary<string, string> env, params string[] args) => Shell.Run(Path, args, env);
}
