using HvMonitor.Collector.Model;
using HvMonitor.Shared.Commands;

namespace HvMonitor.Collector.Backends.Cbsd;

/// <summary>
/// FreeBSD bhyve VMs managed by CBSD: <c>cbsd bls</c> lists the VMs (without it nothing can be reported), then
/// one whole-host command each for disks, NICs, snapshots, processes, interface descriptions, interface
/// counters, zvols and their kstats. Any of those failing costs only its figures, with a warning.
/// </summary>
public sealed class CbsdBackend(ICommandRunner runner, TimeSpan commandTimeout) : IHypervisorBackend
{
    public const string HvName = "CBSD";

    public string Hv => HvName;

    public void Collect(CollectionSink sink, CancellationToken cancellation)
    {
        try
        {
            CollectAll(sink, cancellation);
        }
        finally
        {
            (runner as IDisposable)?.Dispose();
        }
    }

    private void CollectAll(CollectionSink sink, CancellationToken cancellation)
    {
        var blsRequest = Cbsd(CbsdCommands.Bls);
        var bls = runner.Run(blsRequest, cancellation);
        if (!bls.Succeeded)
        {
            int code = bls.Outcome == CommandOutcome.NotStarted ? ErrorCodes.BackendUnavailable : ErrorCodes.BackendFailed;
            throw new BackendException(code, "listing the VMs failed: " + bls.DescribeFailure(blsRequest) +
                (code == ErrorCodes.BackendUnavailable ? " (is CBSD installed? see --cbsd-path)" : ""));
        }
        var (vms, rejected) = BlsParser.Parse(Text(blsRequest, bls, sink));
        foreach (var line in rejected)
            sink.Warn($"cbsd bls printed a line that is not a VM: '{line}'; VMs listed after it may be missing");
        sink.Listed(vms.Select(v => v.Name).Distinct(StringComparer.Ordinal).ToArray());
        if (vms.Count == 0)
            return;

        var disks = Optional(Cbsd(CbsdCommands.DiskList), "disks are left out", sink, cancellation, DiskListParser.Parse, "disk");
        var nics = Optional(Cbsd(CbsdCommands.NicList), "interfaces are left out", sink, cancellation, NicListParser.Parse, "NIC");
        var snapshots = Optional(Cbsd(CbsdCommands.SnapshotList), "snapshots are left out", sink, cancellation, SnapshotListParser.Parse, "snapshot");

        var pids = vms.Where(v => v.Pid is not null).Select(v => v.Pid!.Value).ToList();
        IReadOnlyDictionary<int, PsRow>? processes = pids.Count == 0 ? new Dictionary<int, PsRow>() :
            // ps exits 1 when none of the pids exists, printing only its header: that is an answer, not a failure.
            Optional(Plain(CbsdCommands.Ps(pids)), "process figures are left out", sink, cancellation, PsParser.Parse, "process", okExitCodes: [0, 1]);

        // Taps exist only while a VM runs: with none running there is nothing to count.
        bool anyTap = nics is { Count: > 0 } && vms.Any(v => v.Jid != 0);
        var descriptions = anyTap ? Optional(Plain(CbsdCommands.Ifconfig), "interface counters are left out", sink, cancellation,
            t => (IfconfigParser.InterfacesByDescription(t), (IReadOnlyList<string>)[]), "") : null;
        var links = descriptions is { Count: > 0 } ? Optional(Plain(CbsdCommands.Netstat), "interface counters are left out", sink, cancellation,
            NetstatParser.Parse, "netstat") : null;

        var volumes = disks is { Count: > 0 } ? Optional(Plain(CbsdCommands.ZfsVolumes), "zvol sizes and I/O are left out", sink, cancellation,
            ZfsListParser.Parse, "zfs") : null;
        var zvols = CbsdZvols.Match(disks ?? [], volumes ?? []);
        // Replicated zvols the other disks could not tell apart: ask where CBSD keeps its VMs, as CBSD does.
        string? cbsdData = zvols.Undecided.Count > 0 ? CbsdDataDataset(sink, cancellation) : null;
        if (cbsdData is not null)
            zvols = CbsdZvols.Match(disks ?? [], volumes ?? [], cbsdData);
        var pools = zvols.Zvols.Values.Select(v => v.Name.Split('/')[0]).Distinct().ToList();
        var io = pools.Count > 0 ? Optional(Plain(CbsdCommands.Kstats(pools)), "disk I/O counters may be missing", sink, cancellation,
            t => (KstatParser.Parse(t), (IReadOnlyList<string>)[]), "", partialAnswerIsUseful: true) : null;

        var host = new CbsdHostOutputs
        {
            Vms = vms,
            Disks = disks,
            Nics = nics,
            Snapshots = snapshots,
            Processes = processes,
            InterfacesByDescription = descriptions,
            Links = links,
            Volumes = volumes,
            CbsdDataDataset = cbsdData,
            DatasetIo = io,
        };
        foreach (var vm in CbsdFactsBuilder.Build(host, sink.Warn))
            sink.Add(vm);
    }

    /// <summary>
    /// The dataset that holds CBSD's jail data directory, found the way CBSD finds it (its workdir from rc.conf,
    /// then the dataset of workdir/jails-data); null, with a warning, when either step gives no answer.
    /// </summary>
    private string? CbsdDataDataset(CollectionSink sink, CancellationToken cancellation)
    {
        const string consequence = "replicated zvols cannot be told apart";
        var workdir = Optional(Plain(CbsdCommands.Workdir), consequence, sink, cancellation,
            t => (CbsdZvols.ParseWorkdir(t) is { } w ? [w] : (IReadOnlyList<string>)[], (IReadOnlyList<string>)[]), "");
        if (workdir is null)
            return null;
        if (workdir.Count == 0)
        {
            sink.Warn($"'{PosixQuote.Join(CbsdCommands.Workdir)}' did not print one absolute path; {consequence}");
            return null;
        }
        var request = Plain(CbsdCommands.DatasetOf(CbsdZvols.JailDataDir(workdir[0])));
        var dataset = Optional(request, consequence, sink, cancellation,
            t => (CbsdZvols.ParseDatasetName(t) is { } d ? [d] : (IReadOnlyList<string>)[], (IReadOnlyList<string>)[]), "");
        if (dataset is { Count: 0 })
            sink.Warn($"'{request.DisplayLine}' did not print one dataset name; {consequence}");
        return dataset is { Count: 1 } ? dataset[0] : null;
    }

    private CommandRequest Cbsd(string[] argv) => new(argv, commandTimeout) { Environment = CbsdCommands.CbsdEnvironment };

    private CommandRequest Plain(string[] argv) => new(argv, commandTimeout);

    /// <summary>
    /// Runs a command whose failure costs only its own figures: warns (with <paramref name="consequence"/>) and
    /// returns null. Lines the parser rejects are warned about too (<paramref name="rowKind"/> rows).
    /// </summary>
    private T? Optional<T>(
        CommandRequest request,
        string consequence,
        CollectionSink sink,
        CancellationToken cancellation,
        Func<string, (T Parsed, IReadOnlyList<string> Rejected)> parse,
        string rowKind,
        int[]? okExitCodes = null,
        bool partialAnswerIsUseful = false) where T : class
    {
        var result = runner.Run(request, cancellation);
        bool ok = result.Outcome == CommandOutcome.Exited && (okExitCodes ?? [0]).Contains(result.ExitCode);
        if (!ok)
        {
            sink.Warn($"{result.DescribeFailure(request)}; {consequence}");
            if (!(partialAnswerIsUseful && result.Outcome == CommandOutcome.Exited && result.Stdout.Length > 0))
                return null;
        }
        var (parsed, rejected) = parse(Text(request, result, sink));
        foreach (var line in rejected)
        {
            string after = request.Argv[0] == "cbsd" ? "; rows after it may be missing" : "";
            sink.Warn($"'{request.DisplayLine}' printed a line that is not a {rowKind} row: '{line}'{after}");
        }
        return parsed;
    }

    private static string Text(CommandRequest request, CommandResult result, CollectionSink sink)
    {
        var text = result.StdoutText(out bool replaced);
        if (replaced)
            sink.Warn($"'{request.DisplayLine}' printed bytes that are not UTF-8; they were replaced by U+FFFD");
        return text;
    }
}
