namespace HvMonitor.Benchmarks;

/// <summary>A program to measure, and how to tell that a run of it did its job.</summary>
/// <param name="Validate">Given the stdout file of a successful run: the number of VMs it reported (null if not a report), or an exception.</param>
public sealed record Command(string Program, string Exe, IReadOnlyList<string> Args, Func<string, int?> Validate)
{
    public string Display => Program + " " + string.Join(' ', Args.Select(Quote));

    private static string Quote(string a) => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";
}

/// <summary>Measures commands: warm-up runs, then repeated runs interleaved between the commands of a scenario, then one traced run each to count the processes it creates.</summary>
public sealed class Bench(string workDir, int warmup, int runs, Action<string> log)
{
    public List<ScenarioResult> Measure(string id, string group, string title, int domains, IReadOnlyList<Command> commands, string? description = null)
    {
        var dir = Path.Combine(workDir, "runs", id);
        Directory.CreateDirectory(dir);
        var results = commands.Select(c => new ScenarioResult
        {
            Id = id,
            Group = group,
            Program = c.Program,
            Title = title,
            Domains = domains,
            Command = c.Display,
            Description = description,
        }).ToList();
        var samples = commands.Select(_ => new List<RunResult>()).ToList();

        log($"{id}: {warmup} warm-up + {runs} runs of {string.Join(" and ", commands.Select(c => c.Program))}");
        for (int r = 0; r < warmup + runs; r++)
        {
            for (int i = 0; i < commands.Count; i++)
            {
                if (results[i].Skipped)
                    continue;
                var c = commands[i];
                var run = Runner.Run(c.Exe, c.Args, Path.Combine(dir, $"{c.Program}.out"));
                string? failure = null;
                if (!run.Succeeded)
                {
                    failure = $"{c.Program} exited with {run.ExitCode}: {FirstLine(run.StderrPath)}";
                }
                else
                {
                    try
                    {
                        results[i].VmsInOutput = c.Validate(run.StdoutPath);
                    }
                    catch (Exception e)
                    {
                        failure = $"{c.Program}'s output is not valid: {e.Message}";
                    }
                }
                if (failure is not null)
                {
                    results[i].Skipped = true;
                    results[i].SkipReason = "run failed: " + failure;
                    log($"  {failure}");
                    continue;
                }
                results[i].OutputBytes = new FileInfo(run.StdoutPath).Length;
                if (r >= warmup)
                    samples[i].Add(run);
            }
        }

        for (int i = 0; i < commands.Count; i++)
        {
            var res = results[i];
            if (res.Skipped)
                continue;
            var s = samples[i];
            res.WallMs = Stat.Of(s.Select(x => x.WallMs));
            res.CpuMs = Stat.Of(s.Select(x => x.CpuMs));
            res.UserMs = Stat.Of(s.Select(x => x.UserMs));
            res.SysMs = Stat.Of(s.Select(x => x.SysMs));
            var rss = s.Where(x => x.PeakRssKiB is not null).Select(x => x.PeakRssKiB!.Value / 1024.0).ToList();
            res.PeakRssMiB = rss.Count > 0 ? Stat.Of(rss) : null;
            var anon = s.Where(x => x.RssAnonKiB is not null).Select(x => x.RssAnonKiB!.Value / 1024.0).ToList();
            var file = s.Where(x => x.RssFileKiB is not null).Select(x => x.RssFileKiB!.Value / 1024.0).ToList();
            res.RssAnonAtExitMiB = anon.Count > 0 ? Stat.Of(anon) : null;
            res.RssFileAtExitMiB = file.Count > 0 ? Stat.Of(file) : null;

            var c = commands[i];
            var count = Runner.CountSpawns(c.Exe, c.Args, Path.Combine(dir, $"{c.Program}.traced.out"), TimeSpan.FromSeconds(120));
            res.ChildProcesses = count.Processes;
            res.ChildExecs = count.Execs;
            res.ThreadsCreated = count.Threads;
            res.SpawnDetails = count.Details.Take(20).ToList();
            log($"  {c.Program}: wall {res.WallMs.Median:F1} ms [{res.WallMs.P10:F1}-{res.WallMs.P90:F1}], cpu {res.CpuMs.Median:F1} ms, " +
                $"peak RSS {res.PeakRssMiB?.Median:F1} MiB, child processes {count.Processes}, execs {count.Execs}");
        }
        return results;
    }

    public static ScenarioResult SkippedResult(string id, string group, string program, string title, string reason) => new()
    {
        Id = id,
        Group = group,
        Program = program,
        Title = title,
        Skipped = true,
        SkipReason = reason,
    };

    private static string FirstLine(string path)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "(no stderr)";
        }
        catch (IOException)
        {
            return "(no stderr)";
        }
    }
}
