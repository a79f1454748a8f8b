namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>
/// What one run read from a CBSD host, parsed. A null list means its command failed (already warned): the
/// VMs are still reported with what the other commands said.
/// </summary>
public sealed record CbsdHostOutputs
{
    public required IReadOnlyList<BlsRow> Vms { get; init; }
    public IReadOnlyList<DiskRow>? Disks { get; init; }
    public IReadOnlyList<NicRow>? Nics { get; init; }
    public IReadOnlyList<SnapshotRow>? Snapshots { get; init; }
    public IReadOnlyDictionary<int, PsRow>? Processes { get; init; }
    public IReadOnlyDictionary<string, string>? InterfacesByDescription { get; init; }
    public IReadOnlyDictionary<string, LinkCounters>? Links { get; init; }
    public IReadOnlyList<ZfsDataset>? Volumes { get; init; }

    /// <summary>The dataset holding CBSD's jail data directory, when it was asked (only to tell replicated zvols apart).</summary>
    public string? CbsdDataDataset { get; init; }
    public IReadOnlyDictionary<string, DatasetIo>? DatasetIo { get; init; }
}
