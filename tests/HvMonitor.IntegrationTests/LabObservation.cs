using System.Globalization;
using System.Text.Json;

namespace HvMonitor.IntegrationTests;

/// <summary>
/// One hv-monitor run on the lab, sandwiched between two readings of the ground truth: every counter
/// hv-monitor reports must lie between what virsh/ps//proc said just before and just after it.
/// </summary>
public sealed class LabObservation
{
    public required Dictionary<string, Dictionary<string, string>> StatsBefore { get; init; }
    public required Dictionary<string, Dictionary<string, string>> StatsAfter { get; init; }
    public required Dictionary<string, ProcessTruth> ProcBefore { get; init; }
    public required Dictionary<string, ProcessTruth> ProcAfter { get; init; }
    public required List<string> DomainNames { get; init; }
    public required CommandResult Run { get; init; }
    public required string OutputBase { get; init; }
    public required JsonElement Json { get; init; }

    public JsonElement Vms => Json.GetProperty("data").GetProperty("VMs");
    public JsonElement Totals => Json.GetProperty("data").GetProperty("totals");

    public static LabObservation Take(string uri)
    {
        var names = GroundTruth.DomainNames(uri);
        var statsBefore = GroundTruth.DomStats(uri);
        var procBefore = ReadProcesses(statsBefore);
        var dir = Directory.CreateTempSubdirectory("hvm-lab-run-").FullName;
        var outputBase = Path.Combine(dir, "hv_monitor.json");
        var run = HvMonitorBinary.Run("--uri", uri, "-c", "-w", "-o", outputBase);
        var procAfter = ReadProcesses(statsBefore);
        var statsAfter = GroundTruth.DomStats(uri);
        var json = JsonDocument.Parse(File.ReadAllBytes(outputBase)).RootElement.Clone();
        return new LabObservation
        {
            StatsBefore = statsBefore, StatsAfter = statsAfter, ProcBefore = procBefore, ProcAfter = procAfter,
            DomainNames = names, Run = run, OutputBase = outputBase, Json = json,
        };
    }

    private static Dictionary<string, ProcessTruth> ReadProcesses(Dictionary<string, Dictionary<string, string>> stats)
    {
        var result = new Dictionary<string, ProcessTruth>();
        foreach (var (name, s) in stats)
        {
            if (s.GetValueOrDefault("state.state") is "1" or "3")
                result[name] = ProcessTruth.Read(GroundTruth.QemuPid(name));
        }
        return result;
    }
}

/// <summary>A QEMU process as ps and /proc describe it.</summary>
public sealed record ProcessTruth(int Pid, double Pcpu, double Pmem, ulong Etimes, long Pri, long Nice, ulong VszKiB,
    ulong MajFlt, ulong MinFlt, ulong UTimeTicks, ulong STimeTicks, ulong Nvcsw, ulong Nivcsw)
{
    public static ProcessTruth Read(int pid)
    {
        var cols = Shell.Check("ps", "-o", "pcpu=,pmem=,etimes=,pri=,ni=,vsz=,maj_flt=,min_flt=", "-p", pid.ToString(CultureInfo.InvariantCulture))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var inv = CultureInfo.InvariantCulture;
        return new ProcessTruth(pid,
            double.Parse(cols[0], inv), double.Parse(cols[1], inv), ulong.Parse(cols[2], inv),
            long.Parse(cols[3], inv), long.Parse(cols[4], inv), ulong.Parse(cols[5], inv),
            ulong.Parse(cols[6], inv), ulong.Parse(cols[7], inv),
            GroundTruth.ProcStatField(pid, 14), GroundTruth.ProcStatField(pid, 15),
            GroundTruth.ProcStatusValue(pid, "voluntary_ctxt_switches"),
            GroundTruth.ProcStatusValue(pid, "nonvoluntary_ctxt_switches"));
    }
}
