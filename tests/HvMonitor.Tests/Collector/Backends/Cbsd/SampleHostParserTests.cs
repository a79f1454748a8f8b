using System.Text;
using System.Text.Json;
using HvMonitor.Collector.Backends.Cbsd;
using HvMonitor.Collector.Model;
using HvMonitor.Collector.Output;
using HvMonitor.Shared.Commands;
using Xunit;

namespace HvMonitor.Tests.Collector.Backends.Cbsd;

/// <summary>
/// Each recorded CBSD host read file by file by the pure parsers (no backend, no runner), joined by
/// CbsdFactsBuilder and HvDataBuilder: the same data as the golden JSON the whole program prints.
/// </summary>
public class SampleHostParserTests
{
    public static TheoryData<string> Hosts() => RecordedCbsdHostTests.Hosts();

    [Theory]
    [MemberData(nameof(Hosts))]
    public void TheParsersAloneGiveTheGoldenData(string host)
    {
        // Keyed "cbsd bls", "zfs list", "zfs get", "ps", ...; only the ps the backend asks (a host may also record
        // what an older command printed, for comparison).
        var files = Directory.EnumerateFiles(RepoPaths.Sample("cbsd", host), "*.txt")
            .Select(f => RecordingFile.Parse(File.ReadAllBytes(f), f))
            .Where(r => !r.CommandLine.StartsWith("ps ", StringComparison.Ordinal) || r.CommandLine.StartsWith("ps -ww ", StringComparison.Ordinal))
            .ToDictionary(r => r.CommandLine.Split(' ')[0] is "cbsd" or "zfs" ? string.Join(' ', r.CommandLine.Split(' ')[..2]) : r.CommandLine.Split(' ')[0],
                r => Encoding.UTF8.GetString(r.Result.Stdout));
        string Output(string key) => files.GetValueOrDefault(key, "");
        var outputs = new CbsdHostOutputs
        {
            Vms = BlsParser.Parse(files["cbsd bls"]).Rows,
            Disks = DiskListParser.Parse(files["cbsd bhyve-dsk-list"]).Rows,
            Nics = NicListParser.Parse(files["cbsd bhyve-nic-list"]).Rows,
            Snapshots = SnapshotListParser.Parse(files["cbsd jsnapshot"]).Rows,
            Processes = PsParser.Parse(files["ps"]).Rows,
            InterfacesByDescription = IfconfigParser.InterfacesByDescription(Output("ifconfig")),
            Links = NetstatParser.Parse(Output("netstat")).Links,
            Volumes = ZfsListParser.Parse(Output("zfs list")).Datasets,
            DatasetIo = KstatParser.Parse(Output("sysctl")),
            CbsdDataDataset = CbsdZvols.ParseDatasetName(Output("zfs get")),
        };
        var data = HvDataBuilder.Build(CbsdBackend.HvName, CbsdFactsBuilder.Build(outputs, _ => { }));
        var ours = JsonDocument.Parse(LibreNmsSerializer.ToUtf8Json(new Envelope { Data = data }, pretty: true)).RootElement.GetProperty("data");
        var golden = JsonDocument.Parse(File.ReadAllText(RepoPaths.Sample("cbsd", host, "golden.json"))).RootElement.GetProperty("data");
        Assert.Equal(golden.GetRawText(), ours.GetRawText());
    }
}
