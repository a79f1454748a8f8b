namespace HvMonitor.Tests;

/// <summary>Finds the repository root (where HvMonitor.sln is) from the test binary's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples");

    public static string Sample(params string[] parts) => Path.Combine([Samples, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HvMonitor.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("HvMonitor.sln not found above " + AppContext.BaseDirectory);
    }
}
