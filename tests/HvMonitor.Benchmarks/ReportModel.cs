using System.Text.Json.Serialization;

namespace HvMonitor.Benchmarks;

/// <summary>Everything one benchmark run found: the content of docs/performance.json.</summary>
public sealed class BenchReport
{
    public int SchemaVersion { get; set; } = 1;
    public string Date { get; set; } = "";
    public string Commit { get; set; } = "";
    public bool CommitDirty { get; set; }
    public MachineInfo Machine { get; set; } = new();
    public BinaryInfo Binary { get; set; } = new();
    public BenchSettings Settings { get; set; } = new();
    public string LoadAverageBefore { get; set; } = "";
    public string LoadAverageAfter { get; set; } = "";
    public List<ScenarioResult> Scenarios { get; set; } = [];
    public List<AddedCost> AddedCost { get; set; } = [];
    public List<CompressionResult> Compression { get; set; } = [];
    public CompressEndToEnd? CompressEndToEnd { get; set; }
    public List<LibvirtCallTimes> LibvirtCalls { get; set; } = [];
    public List<BreakdownRow> Breakdown { get; set; } = [];
    public List<TargetResult> Targets { get; set; } = [];
    public List<string> Notes { get; set; } = [];
}

/// <summary>Where one collection's wall time goes: libvirt's calls (timed in the harness) and the rest, hv-monitor's own.</summary>
public sealed class BreakdownRow
{
    public string Scenario { get; set; } = "";
    public int Domains { get; set; }
    public double HvWallMs { get; set; }
    public double OpenCloseMs { get; set; }
    public double BulkStatsMs { get; set; }
    public double XmlDescMs { get; set; }
    public double SnapshotNumMs { get; set; }
    /// <summary>hv-monitor's wall time minus every libvirt call above: runtime start-up, libvirt.so loading, parsing, building and writing.</summary>
    public double OwnMs { get; set; }
    /// <summary>(Own(N) − Own(0)) / N, on the same driver.</summary>
    public double? OwnMsPerDomain { get; set; }
    /// <summary>(XmlDesc + SnapshotNum) / N: libvirt calls beyond the bulk one, per domain.</summary>
    public double? ExtraCallsMsPerDomain { get; set; }
}

public sealed class MachineInfo
{
    public string Cpu { get; set; } = "";
    public int Cores { get; set; }
    public long MemoryMiB { get; set; }
    public string Kernel { get; set; } = "";
    public string Os { get; set; } = "";
    public string Libvirt { get; set; } = "";
    public string HarnessRuntime { get; set; } = "";
}

public sealed class BinaryInfo
{
    public string Path { get; set; } = "";
    public long Bytes { get; set; }
    public string Version { get; set; } = "";
}

public sealed class BenchSettings
{
    public int Warmup { get; set; }
    public int Runs { get; set; }
    public List<int> TestDomainCounts { get; set; } = [];
    public int LabExtraDomains { get; set; }
    public string LabUri { get; set; } = "";
    public string VirshFloorCommand { get; set; } = "";
}

/// <summary>One program measured in one scenario (hv-monitor, or virsh as the floor).</summary>
public sealed class ScenarioResult
{
    public string Id { get; set; } = "";
    public string Group { get; set; } = "";
    public string Program { get; set; } = "";
    public string Title { get; set; } = "";
    public int Domains { get; set; }
    public string Command { get; set; } = "";
    public bool Skipped { get; set; }
    public string? SkipReason { get; set; }
    public Stat? WallMs { get; set; }
    public Stat? CpuMs { get; set; }
    public Stat? UserMs { get; set; }
    public Stat? SysMs { get; set; }
    public Stat? PeakRssMiB { get; set; }
    /// <summary>Anonymous (heap, stacks, JIT code) and file-backed (mapped binaries and libraries) resident memory at exit.</summary>
    public Stat? RssAnonAtExitMiB { get; set; }
    public Stat? RssFileAtExitMiB { get; set; }
    /// <summary>Processes created per run (fork, vfork, clone without CLONE_THREAD), by the program or any descendant.</summary>
    public int? ChildProcesses { get; set; }
    /// <summary>execve calls per run after the program's own.</summary>
    public int? ChildExecs { get; set; }
    public int? ThreadsCreated { get; set; }
    public List<string> SpawnDetails { get; set; } = [];
    public long OutputBytes { get; set; }
    public int? VmsInOutput { get; set; }
    public string? Description { get; set; }
}

/// <summary>What hv-monitor adds beyond libvirt's bulk call, from the medians.</summary>
public sealed class AddedCost
{
    public int Domains { get; set; }
    public double HvDeltaMs { get; set; }
    public double VirshDeltaMs { get; set; }
    public double AddedMs { get; set; }
    public double AddedMsPerDomain { get; set; }
    public double AddedCpuMsPerDomain { get; set; }
}

public sealed class CompressionResult
{
    public string Implementation { get; set; } = "";
    public int Level { get; set; }
    public long InputBytes { get; set; }
    public long OutputBytes { get; set; }
    public long Base64Bytes { get; set; }
    public Stat CompressMs { get; set; } = Stat.Of([]);
    public Stat CompressAndBase64Ms { get; set; } = Stat.Of([]);
    public double FirstCallMs { get; set; }
    public bool RoundTripOk { get; set; }
}

public sealed class CompressEndToEnd
{
    public int Domains { get; set; }
    public double PlainWallMs { get; set; }
    public double CompressedWallMs { get; set; }
    public double DeltaWallMs { get; set; }
    public double DeltaCpuMs { get; set; }
    public long PlainBytes { get; set; }
    public long CompressedBytes { get; set; }
}

public sealed class TargetResult
{
    public string Id { get; set; } = "";
    public string Description { get; set; } = "";
    public string Limit { get; set; } = "";
    public string Measured { get; set; } = "";
    /// <summary>PASS, FAIL or SKIPPED.</summary>
    public string Result { get; set; } = "";
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
