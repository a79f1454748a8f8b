using System.Globalization;
using System.Text;

namespace HvMonitor.Benchmarks;

/// <summary>
/// Writes the latest run into docs/performance.md between two markers, keeping whatever people wrote
/// around them (how to run it, analysis of the numbers).
/// </summary>
internal static class MarkdownReport
{
    public const string Begin = "<!-- BEGIN GENERATED: tests/HvMonitor.Benchmarks writes this part; edits inside it are lost -->";
    public const string End = "<!-- END GENERATED -->";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(string path, BenchReport r)
    {
        string generated = Begin + "\n" + Render(r) + End;
        string text;
        if (File.Exists(path) && File.ReadAllText(path) is var old && old.IndexOf(Begin, StringComparison.Ordinal) is int b and >= 0
            && old.IndexOf(End, b, StringComparison.Ordinal) is int e and >= 0)
            text = old[..b] + generated + old[(e + End.Length)..];
        else
            text = "# Performance\n\n" + generated + "\n";
        File.WriteAllText(path, text);
    }

    public static string Render(BenchReport r)
    {
        var sb = new StringBuilder();
        var m = r.Machine;
        sb.Append("## Latest run\n\n");
        sb.Append(Inv, $"- Machine: {m.Cpu}, {m.Cores} cores, {m.MemoryMiB / 1024.0:F1} GiB, Linux {m.Kernel}, {m.Os}; {m.Libvirt}\n");
        sb.Append(Inv, $"- Date: {r.Date}; commit `{r.Commit}`{(r.CommitDirty ? " with uncommitted changes under src/" : "")}\n");
        sb.Append(Inv, $"- Binary: `{r.Binary.Path}`, {r.Binary.Version}, {r.Binary.Bytes / 1048576.0:F1} MiB (NativeAOT)\n");
        sb.Append(Inv, $"- Method: {r.Settings.Warmup} warm-up runs, then {r.Settings.Runs} measured runs per program, hv-monitor and virsh interleaved; ");
        sb.Append("figures are medians with [p10–p90]; load average before/after: ");
        sb.Append(Inv, $"{r.LoadAverageBefore} / {r.LoadAverageAfter}\n");
        sb.Append(Inv, $"- Floor: `{r.Settings.VirshFloorCommand}` (the same stats groups and flags as hv-monitor's one bulk call)\n\n");

        sb.Append("### Targets\n\n| Target | Limit | Measured | Result |\n|---|---|---|---|\n");
        foreach (var t in r.Targets)
            sb.Append(Inv, $"| {Esc(t.Description)} | {Esc(t.Limit)} | {Esc(t.Measured)} | **{t.Result}** |\n");
        sb.Append('\n');

        sb.Append("### Every scenario\n\n");
        sb.Append("Wall and CPU (user+sys) time in ms, peak RSS (VmHWM at exit) in MiB; children = processes created per run (fork, vfork, ");
        sb.Append("clone without CLONE_THREAD, by the program or any descendant) / execs after its own.\n\n");
        sb.Append("| Scenario | Program | Domains | Wall ms | CPU ms | Peak RSS MiB | anon / file MiB at exit | Children | Output |\n|---|---|---:|---|---|---|---|---|---:|\n");
        foreach (var s in r.Scenarios)
        {
            if (s.Skipped)
            {
                sb.Append(Inv, $"| {Esc(s.Title)} | {s.Program} | {s.Domains} | {Esc(s.SkipReason ?? "skipped")} | | | | | |\n");
                continue;
            }
            sb.Append(Inv, $"| {Esc(s.Title)} | {s.Program} | {s.Domains} | {Fmt(s.WallMs, "F1")} | {Fmt(s.CpuMs, "F1")} | {Fmt(s.PeakRssMiB, "F1")} | ");
            sb.Append(Inv, $"{s.RssAnonAtExitMiB?.Median:F1} / {s.RssFileAtExitMiB?.Median:F1} | ");
            sb.Append(Inv, $"{s.ChildProcesses} / {s.ChildExecs} | {Bytes(s.OutputBytes)} |\n");
        }
        sb.Append('\n');
        foreach (var s in r.Scenarios.Where(s => s.Group == "lab" && s.Description is not null && s.Program == "hv-monitor"))
            sb.Append(Inv, $"- {Esc(s.Title)}: {Esc(s.Description!)}\n");
        var testDesc = r.Scenarios.FirstOrDefault(s => s.Group == "test-driver")?.Description;
        if (testDesc is not null)
            sb.Append(Inv, $"- Test-driver hosts: {Esc(testDesc)}\n");
        sb.Append('\n');

        if (r.AddedCost.Count > 0)
        {
            sb.Append("### Cost added beyond libvirt's call (test driver)\n\n");
            sb.Append("added(N) = (hv-monitor(N) − hv-monitor(0)) − (virsh(N) − virsh(0)), from the wall-time medians; CPU likewise.\n\n");
            sb.Append("| Domains | hv-monitor Δ ms | virsh Δ ms | added ms | added ms/domain | added CPU ms/domain |\n|---:|---:|---:|---:|---:|---:|\n");
            foreach (var a in r.AddedCost)
                sb.Append(Inv, $"| {a.Domains} | {a.HvDeltaMs:F1} | {a.VirshDeltaMs:F1} | {a.AddedMs:F1} | {a.AddedMsPerDomain:F3} | {a.AddedCpuMsPerDomain:F3} |\n");
            sb.Append('\n');
        }

        if (r.Breakdown.Count > 0)
        {
            sb.Append("### Where the time goes\n\n");
            sb.Append("The libvirt calls a collection makes, timed inside this harness through the same libvirt.so.0 (mean of repeated ");
            sb.Append("runs), subtracted from hv-monitor's median wall time. \"Own\" is everything else: process and runtime start-up, ");
            sb.Append("loading libvirt.so.0, parsing the XML, building and writing the report. Per domain = (own(N) − own(0)) / N.\n\n");
            sb.Append("| Scenario | hv-monitor ms | open+close ms | bulk stats ms | XML desc ms | snapshot count ms | own ms | XML+snapshot ms/domain | own ms/domain |\n");
            sb.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            foreach (var b in r.Breakdown)
            {
                sb.Append(Inv, $"| {b.Scenario} | {b.HvWallMs:F1} | {b.OpenCloseMs:F1} | {b.BulkStatsMs:F1} | {b.XmlDescMs:F1} | {b.SnapshotNumMs:F1} | {b.OwnMs:F1} | ");
                sb.Append(Inv, $"{(b.ExtraCallsMsPerDomain is double x ? x.ToString("F3", Inv) : "–")} | {(b.OwnMsPerDomain is double y ? y.ToString("F3", Inv) : "–")} |\n");
            }
            sb.Append('\n');
        }

        if (r.Compression.Count > 0)
        {
            var input = r.Compression[0].InputBytes;
            sb.Append(Inv, $"### Compression of the largest report ({Bytes(input)} of JSON), in-process\n\n");
            sb.Append("| Implementation | Output | Ratio | Compress ms | + base64 ms | First call ms | Round trip |\n|---|---:|---:|---|---|---:|---|\n");
            foreach (var c in r.Compression)
            {
                sb.Append(Inv, $"| {Esc(c.Implementation)} | {Bytes(c.OutputBytes)} | {(double)c.InputBytes / c.OutputBytes:F1}× | {Fmt(c.CompressMs, "F2")} | ");
                sb.Append(Inv, $"{Fmt(c.CompressAndBase64Ms, "F2")} | {c.FirstCallMs:F1} | {(c.RoundTripOk ? "ok" : "MISMATCH")} |\n");
            }
            if (r.CompressEndToEnd is { } e)
            {
                sb.Append(Inv, $"\nEnd to end at {e.Domains} domains: `-c` {e.CompressedWallMs:F1} ms vs plain {e.PlainWallMs:F1} ms (median wall), ");
                sb.Append(Inv, $"Δ {e.DeltaWallMs:+0.0;-0.0} ms wall, {e.DeltaCpuMs:+0.0;-0.0} ms CPU; output {Bytes(e.CompressedBytes)} instead of {Bytes(e.PlainBytes)}.\n");
            }
            sb.Append('\n');
        }

        var spawners = r.Scenarios.Where(s => s.SpawnDetails.Count > 0).ToList();
        if (spawners.Count > 0)
        {
            sb.Append("### Processes created\n\n");
            foreach (var s in spawners)
                sb.Append(Inv, $"- {Esc(s.Title)}, {s.Program}: {Esc(string.Join("; ", s.SpawnDetails))}\n");
            sb.Append('\n');
        }
        foreach (var n in r.Notes)
            sb.Append(Inv, $"- {Esc(n)}\n");
        if (r.Notes.Count > 0)
            sb.Append('\n');
        return sb.ToString();
    }

    private static string Fmt(Stat? s, string f) =>
        s is null || s.N == 0 ? "–" : $"{s.Median.ToString(f, Inv)} [{s.P10.ToString(f, Inv)}–{s.P90.ToString(f, Inv)}]";

    private static string Bytes(long b) => b switch
    {
        >= 1048576 => (b / 1048576.0).ToString("F2", Inv) + " MiB",
        >= 1024 => (b / 1024.0).ToString("F1", Inv) + " KiB",
        _ => b.ToString(Inv) + " B",
    };

    private static string Esc(string s) => s.Replace("|", "\\|").Replace("\n", " ");
}
