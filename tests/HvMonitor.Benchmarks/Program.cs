using System.Globalization;
using System.Text.Json;
using HvMonitor.Benchmarks;

/// <summary>
/// hv-monitor's performance benchmark: measures the published binary from outside (wall time, CPU
/// time, peak RSS, processes created) on libvirt's test driver at several domain counts and on the real
/// QEMU lab, with <c>virsh domstats</c> as the floor, and writes docs/performance.md and .json.
/// Run through the Cake target: <c>dotnet tool restore &amp;&amp; dotnet cake --target=Benchmark</c>.
/// </summary>
internal static class BenchmarkProgram
{
    private const string Usage = """
        Usage: hv-monitor-bench [options]

          --hv PATH            the published binary (default: REPO/artifacts/publish/hv-monitor)
          --out DIR            where performance.md and performance.json go (default: REPO/docs)
          --work DIR           generated host XMLs and run outputs (default: REPO/artifacts/bench)
          --runs N             measured runs per scenario, after the warm-up (default: 15)
          --warmup N           warm-up runs per scenario (default: 2)
          --sizes LIST         test-driver domain counts (default: 0,10,100,1000)
          --lab auto|skip      measure the real QEMU host (default: auto = if virsh can reach it)
          --lab-uri URI        (default: qemu:///system)
          --lab-small N        domains in the small lab scenario (default: 14, the Perl tool's figure)
          --lab-extra N        defined-only domains added for the large lab scenario (default: 1000)
          --lab-running N      guests that must run; hvm-bench-run-K guests are started to make up (default: 4)
          --compress-iterations N   in-process compression repetitions (default: 30)
        """;

    private static QemuLab? _lab;

    public static int Main(string[] args)
    {
        Options o;
        try
        {
            o = Options.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"hv-monitor-bench: {e.Message}\n\n{Usage}");
            return 2;
        }
        if (o.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }
        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("hv-monitor-bench: Linux only (posix_spawn, wait4, ptrace, /proc)");
            return 2;
        }
        if (!File.Exists(o.Hv))
        {
            Console.Error.WriteLine($"hv-monitor-bench: {o.Hv} does not exist; publish first: dotnet publish src/HvMonitor -c Release -r linux-x64 -o artifacts/publish");
            return 2;
        }

        // An interrupted run must not leave its hvm-bench-* domains behind.
        Console.CancelKeyPress += (_, _) => _lab?.Dispose();
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, _ => _lab?.Dispose());
        try
        {
            return Run(o);
        }
        finally
        {
            _lab?.Dispose();
        }
    }

    private static void Log(string message) => Console.Error.WriteLine($"[bench] {message}");

    private static int Run(Options o)
    {
        Directory.CreateDirectory(o.Work);
        Exec.Init(o.Work);
        var report = new BenchReport
        {
            Date = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            Machine = Machine.Describe(),
            LoadAverageBefore = Machine.LoadAverage(),
        };
        (report.Commit, report.CommitDirty) = GitCommit(o.Repo);
        var version = Exec.Capture(o.Hv, "--version");
        report.Binary = new BinaryInfo { Path = Relative(o.Repo, o.Hv), Bytes = new FileInfo(o.Hv).Length, Version = version.Stdout.Trim() };

        string? virsh = Exec.Which("virsh");
        string[] floorArgs = ["domstats", "--state", "--balloon", "--interface", "--block", "--nowait"];
        report.Settings = new BenchSettings
        {
            Warmup = o.Warmup,
            Runs = o.Runs,
            TestDomainCounts = o.Sizes,
            LabExtraDomains = o.LabExtra,
            LabUri = o.LabUri,
            VirshFloorCommand = "virsh -r -c URI " + string.Join(' ', floorArgs),
        };
        Log($"hv-monitor {report.Binary.Version} ({report.Binary.Bytes / 1048576.0:F1} MiB) at commit {report.Commit}{(report.CommitDirty ? " + local changes" : "")}");
        Log($"{report.Machine.Cpu}, {report.Machine.Cores} cores; load average {report.LoadAverageBefore}");

        var bench = new Bench(o.Work, o.Warmup, o.Runs, Log);
        static Command Hv(string hv, params string[] args) => new("hv-monitor", hv, args, p => OutputCheck.HvReport(p, args.Contains("-c")));
        Command? Floor(string uri) => virsh is null ? null : new Command("virsh", virsh, ["-r", "-c", uri, .. floorArgs], _ => null);

        // Start-up alone, beside the start of the Perl tool's interpreter with the one module it always loads
        // (JSON): the floor of any run of the Perl HV::Monitor, which itself cannot run here (it is on CPAN only).
        var startup = new List<Command>
        {
            new("hv-monitor", o.Hv, ["--version"], p => File.ReadAllText(p).StartsWith("hv-monitor ", StringComparison.Ordinal) ? null : throw new InvalidDataException("no version line")),
        };
        if (Exec.Which("perl") is { } perl && Exec.Capture(perl, "-MJSON", "-e1").Ok)
            startup.Add(new Command("perl", perl, ["-MJSON", "-e1"], _ => null));
        else
            report.Notes.Add("perl with JSON.pm (Debian: libjson-perl) is not installed: the start-up comparison with perl -MJSON -e1 could not be measured.");
        report.Scenarios.AddRange(bench.Measure("startup", "startup", "hv-monitor --version (start-up alone)", 0, startup));

        // libvirt's test driver: our own cost, no daemon, no QEMU.
        string? largestUri = null;
        foreach (int n in o.Sizes)
        {
            var xml = TestHostXml.Write(Path.Combine(o.Work, "test-driver"), n);
            string uri = "test://" + xml;
            var hv = Hv(o.Hv, "--uri", uri);
            hv = hv with { Validate = p => Expect(OutputCheck.HvReport(p, false), n) };
            var commands = new List<Command> { hv };
            if (Floor(uri) is { } f)
                commands.Add(f);
            report.Scenarios.AddRange(bench.Measure($"test-{n}", "test-driver", $"test driver, {n} domains", n, commands,
                "test:///PATH with generated domains: 2 disks, 2 NICs (NAT network with a bridge, host bridge), VNC, libosinfo, 1-2 snapshots; 80 % running, 5 % paused, 15 % shut off"));
            if (n == o.Sizes.Max())
                largestUri = uri;
            report.LibvirtCalls.Add(LibvirtBreakdown.Measure(uri, n, n >= 1000 ? 3 : 5));
        }
        if (virsh is null)
            report.Notes.Add("virsh is not installed (Debian: libvirt-clients): the libvirt floor and the added cost per domain could not be measured.");

        // -c: the compression cost, end to end and in-process.
        if (largestUri is not null)
        {
            int n = o.Sizes.Max();
            var hvc = Hv(o.Hv, "-c", "--uri", largestUri);
            hvc = hvc with { Validate = p => Expect(OutputCheck.HvReport(p, true), n) };
            report.Scenarios.AddRange(bench.Measure($"test-{n}-c", "compression", $"test driver, {n} domains, -c (gzip+base64)", n, [hvc]));

            var plain = report.Scenarios.FirstOrDefault(s => s.Id == $"test-{n}" && s.Program == "hv-monitor" && !s.Skipped);
            var comp = report.Scenarios.FirstOrDefault(s => s.Id == $"test-{n}-c" && !s.Skipped);
            if (plain?.WallMs is not null && comp?.WallMs is not null)
            {
                report.CompressEndToEnd = new CompressEndToEnd
                {
                    Domains = n,
                    PlainWallMs = plain.WallMs.Median,
                    CompressedWallMs = comp.WallMs.Median,
                    DeltaWallMs = comp.WallMs.Median - plain.WallMs.Median,
                    DeltaCpuMs = comp.CpuMs!.Median - plain.CpuMs!.Median,
                    PlainBytes = plain.OutputBytes,
                    CompressedBytes = comp.OutputBytes,
                };
            }
            var jsonPath = Path.Combine(o.Work, "runs", $"test-{n}", "hv-monitor.out");
            if (File.Exists(jsonPath) && plain is not null)
            {
                Log($"in-process compression of the {n}-domain report ({new FileInfo(jsonPath).Length} bytes), {o.CompressIterations} iterations each");
                report.Compression = Compression.Run(File.ReadAllBytes(jsonPath), o.CompressIterations, Log);
            }
        }

        // The real QEMU host.
        MeasureLab(o, report, bench, Floor, Hv);

        report.LoadAverageAfter = Machine.LoadAverage();
        report.AddedCost = AddedCosts(report, o.Sizes);
        report.Breakdown = Breakdown(report);
        report.Targets = Targets.Evaluate(report, o);

        Directory.CreateDirectory(o.Out);
        var jsonOut = Path.Combine(o.Out, "performance.json");
        File.WriteAllText(jsonOut, JsonSerializer.Serialize(report, ReportJsonContext.Default.BenchReport) + "\n");
        var mdOut = Path.Combine(o.Out, "performance.md");
        MarkdownReport.Write(mdOut, report);
        Log($"wrote {Relative(o.Repo, mdOut)} and {Relative(o.Repo, jsonOut)}");
        foreach (var t in report.Targets)
            Log($"  {t.Result,-7} {t.Description}: {t.Measured} (limit {t.Limit})");
        return 0;
    }

    private static void MeasureLab(Options o, BenchReport report, Bench bench, Func<string, Command?> floor, Func<string, string[], Command> hv)
    {
        const string group = "lab";
        if (o.Lab == "skip")
        {
            report.Scenarios.Add(Bench.SkippedResult("lab", group, "hv-monitor", "real QEMU lab", "skipped: --lab skip"));
            return;
        }
        _lab = QemuLab.Open(o.LabUri, o.Work, Log, out var reason);
        if (_lab is null)
        {
            Log($"lab skipped: {reason}");
            report.Scenarios.Add(Bench.SkippedResult("lab", group, "hv-monitor", "real QEMU lab", "skipped: " + reason));
            return;
        }
        try
        {
            _lab.StartRunningUpTo(o.LabRunning);
            int existing = _lab.Names().Count;
            int small = Math.Max(o.LabSmall, existing);
            int large = existing + o.LabExtra;
            foreach (int total in small >= large ? [small] : new[] { small, large })
            {
                _lab.DefineUpTo(total);
                string what = _lab.Describe();
                int count = _lab.Names().Count;
                Log($"lab: {what}");
                var cmd = hv(o.Hv, ["--uri", o.LabUri]);
                cmd = cmd with { Validate = p => Expect(OutputCheck.HvReport(p, false), count) };
                var commands = new List<Command> { cmd };
                if (floor(o.LabUri) is { } f)
                    commands.Add(f);
                report.Scenarios.AddRange(bench.Measure($"lab-{count}", group, $"QEMU lab, {count} domains", count, commands, what));
                if (total == small)
                    report.Scenarios.AddRange(ReportScenario.Measure(bench, o.Hv, o.LabUri, o.Work, count, what));
                report.LibvirtCalls.Add(LibvirtBreakdown.Measure(o.LabUri, count, 5));
            }
        }
        catch (InvalidOperationException e)
        {
            Log($"lab failed: {e.Message}");
            report.Scenarios.Add(Bench.SkippedResult("lab", group, "hv-monitor", "real QEMU lab", "failed: " + e.Message));
        }
        finally
        {
            _lab.Dispose();
            _lab = null;
        }
    }

    private static int? Expect(int vms, int expected) =>
        vms == expected ? vms : throw new InvalidDataException($"{vms} VMs in the output, expected {expected}");

    private static List<AddedCost> AddedCosts(BenchReport report, IReadOnlyList<int> sizes)
    {
        ScenarioResult? Find(int n, string program) =>
            report.Scenarios.FirstOrDefault(s => s.Id == $"test-{n}" && s.Program == program && !s.Skipped && s.WallMs is not null);
        var result = new List<AddedCost>();
        var hv0 = Find(0, "hv-monitor");
        var vi0 = Find(0, "virsh");
        if (hv0 is null || vi0 is null)
            return result;
        foreach (int n in sizes.Where(n => n > 0).Order())
        {
            if (Find(n, "hv-monitor") is not { } hv || Find(n, "virsh") is not { } vi)
                continue;
            double hvDelta = hv.WallMs!.Median - hv0.WallMs!.Median;
            double viDelta = vi.WallMs!.Median - vi0.WallMs!.Median;
            double cpu = (hv.CpuMs!.Median - hv0.CpuMs!.Median) - (vi.CpuMs!.Median - vi0.CpuMs!.Median);
            result.Add(new AddedCost
            {
                Domains = n,
                HvDeltaMs = hvDelta,
                VirshDeltaMs = viDelta,
                AddedMs = hvDelta - viDelta,
                AddedMsPerDomain = (hvDelta - viDelta) / n,
                AddedCpuMsPerDomain = cpu / n,
            });
        }
        return result;
    }

    /// <summary>hv-monitor's median wall time split into the libvirt calls it makes and the rest.</summary>
    private static List<BreakdownRow> Breakdown(BenchReport report)
    {
        var rows = new List<BreakdownRow>();
        foreach (var calls in report.LibvirtCalls.Where(c => c.Error is null))
        {
            bool lab = !calls.Uri.StartsWith("test:", StringComparison.Ordinal);
            string id = lab ? $"lab-{calls.Domains}" : $"test-{calls.Domains}";
            var hv = report.Scenarios.FirstOrDefault(s => s.Id == id && s.Program == "hv-monitor" && !s.Skipped && s.WallMs is not null);
            if (hv is null)
                continue;
            double libvirt = calls.OpenCloseMs + calls.BulkStatsMs + calls.XmlDescMs + calls.SnapshotNumMs;
            rows.Add(new BreakdownRow
            {
                Scenario = id,
                Domains = calls.Domains,
                HvWallMs = hv.WallMs!.Median,
                OpenCloseMs = calls.OpenCloseMs,
                BulkStatsMs = calls.BulkStatsMs,
                XmlDescMs = calls.XmlDescMs,
                SnapshotNumMs = calls.SnapshotNumMs,
                OwnMs = hv.WallMs.Median - libvirt,
                ExtraCallsMsPerDomain = calls.Domains > 0 ? (calls.XmlDescMs + calls.SnapshotNumMs) / calls.Domains : null,
            });
        }
        var baseline = rows.FirstOrDefault(r => r.Scenario == "test-0");
        if (baseline is not null)
        {
            foreach (var r in rows.Where(r => r.Scenario.StartsWith("test-", StringComparison.Ordinal) && r.Domains > 0))
                r.OwnMsPerDomain = (r.OwnMs - baseline.OwnMs) / r.Domains;
        }
        return rows;
    }

    private static (string Commit, bool Dirty) GitCommit(string repo)
    {
        if (Exec.Which("git") is null)
            return ("unknown (git not installed)", false);
        var head = Exec.Capture("git", "-C", repo, "rev-parse", "--short=12", "HEAD");
        if (!head.Ok)
            return ("unknown (not a git work tree)", false);
        // Only changes to what the binary is built from make the commit id a lie.
        var status = Exec.Capture("git", "-C", repo, "status", "--porcelain", "--untracked-files=no", "--", "src", "Directory.Build.props");
        return (head.Stdout.Trim(), status.Ok && status.Stdout.Trim().Length > 0);
    }

    internal static string Relative(string repo, string path)
    {
        var rel = Path.GetRelativePath(repo, path);
        return rel.StartsWith("..", StringComparison.Ordinal) ? path : rel;
    }
}

internal sealed class Options
{
    public bool Help { get; private set; }
    public string Repo { get; private set; } = "";
    public string Hv { get; private set; } = "";
    public string Out { get; private set; } = "";
    public string Work { get; private set; } = "";
    public int Runs { get; private set; } = 15;
    public int Warmup { get; private set; } = 2;
    public List<int> Sizes { get; private set; } = [0, 10, 100, 1000];
    public string Lab { get; private set; } = "auto";
    public string LabUri { get; private set; } = "qemu:///system";
    public int LabSmall { get; private set; } = 14;
    public int LabExtra { get; private set; } = 1000;
    public int LabRunning { get; private set; } = 4;
    public int CompressIterations { get; private set; } = 30;

    public static Options Parse(string[] args)
    {
        var o = new Options { Repo = FindRepo() };
        string? hv = null, output = null, work = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int(int min) => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v : throw new ArgumentException($"{args[i - 1]} needs a whole number ≥ {min}");
            switch (args[i])
            {
                case "-h" or "--help": o.Help = true; break;
                case "--hv": hv = Value(); break;
                case "--out": output = Value(); break;
                case "--work": work = Value(); break;
                case "--runs": o.Runs = Int(1); break;
                case "--warmup": o.Warmup = Int(0); break;
                case "--lab-small": o.LabSmall = Int(0); break;
                case "--lab-extra": o.LabExtra = Int(0); break;
                case "--lab-running": o.LabRunning = Int(0); break;
                case "--compress-iterations": o.CompressIterations = Int(1); break;
                case "--lab-uri": o.LabUri = Value(); break;
                case "--lab":
                    o.Lab = Value();
                    if (o.Lab is not ("auto" or "skip"))
                        throw new ArgumentException("--lab takes auto or skip");
                    break;
                case "--sizes":
                    var list = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    o.Sizes = list.Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                        : throw new ArgumentException($"--sizes: '{s}' is not a domain count")).Distinct().Order().ToList();
                    if (!o.Sizes.Contains(0))
                        o.Sizes.Insert(0, 0); // the baseline every added cost is measured from
                    break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        o.Hv = Path.GetFullPath(hv ?? Path.Combine(o.Repo, "artifacts", "publish", "hv-monitor"));
        o.Out = Path.GetFullPath(output ?? Path.Combine(o.Repo, "docs"));
        o.Work = Path.GetFullPath(work ?? Path.Combine(o.Repo, "artifacts", "bench"));
        return o;
    }

    /// <summary>The directory holding HvMonitor.sln, looked for from the current directory up, else from this program's.</summary>
    private static string FindRepo()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "HvMonitor.sln")))
                    return d.FullName;
            }
        }
        return Environment.CurrentDirectory;
    }
}
