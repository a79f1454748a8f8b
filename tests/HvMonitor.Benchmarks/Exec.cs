namespace HvMonitor.Benchmarks;

/// <summary>Runs helper commands (git, virsh define, qemu-img) and captures their output, through the same spawner as the measured runs.</summary>
public static class Exec
{
    public sealed record Output(int ExitCode, string Stdout, string Stderr)
    {
        public bool Ok => ExitCode == 0;
        public string FirstErrorLine => (Stderr.Length > 0 ? Stderr : Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit code {ExitCode}";
    }

    private static string? _scratch;

    public static void Init(string workDir)
    {
        _scratch = Path.Combine(workDir, "exec");
        Directory.CreateDirectory(_scratch);
    }

    public static Output Capture(string exe, params string[] args)
    {
        var resolved = Which(exe) ?? throw new FileNotFoundException($"{exe} is not on PATH");
        var outPath = Path.Combine(_scratch ?? Path.GetTempPath(), "capture.out");
        var result = Runner.Run(resolved, args, outPath, measureRss: false);
        return new Output(result.ExitCode, File.ReadAllText(result.StdoutPath), File.ReadAllText(result.StderrPath));
    }

    /// <summary>The absolute path of a program: as given if it contains a slash, else looked up on PATH.</summary>
    public static string? Which(string exe)
    {
        if (exe.Contains('/'))
            return File.Exists(exe) ? Path.GetFullPath(exe) : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, exe);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
