using System.Text;
using System.Text.Json;
using HvMonitor.Collector;
using HvMonitor.Collector.Backends.Libvirt;
using HvMonitor.Shared.Commands;
using HvMonitor.Shared.Libvirt;
using Xunit;

namespace HvMonitor.Tests.Collector.Backends.Libvirt;

/// <summary>
/// A running domain whose job another client holds when the bulk stats call runs: libvirt (NOWAIT) answers without
/// the disk figures QEMU's monitor supplies (samples/libvirt/domstats-nowait-job-held.txt, recorded on the lab with a
/// query stuck on a stopped QEMU). The domain is asked again; if it stays busy, its disks are left out with a warning,
/// never reported as zero sizes and counters that would read as emptied disks and reset counters.
/// </summary>
public sealed class JobHeldStatsTests : IDisposable
{
    private const string Busy = "hvm-alpha";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hvm-jobheld-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, true);
    }

    private static DomainStats JobHeldRecord() => Assert.Single(DomstatsRawParser.Parse(SampleFile.Read("libvirt/domstats-nowait-job-held.txt")));

    [Fact]
    public void OnlyARecordMadeWithoutTheJobLacksTheMonitorFigures()
    {
        var held = JobHeldRecord();
        Assert.Equal(Busy, held.Name);
        Assert.True(LibvirtFactsBuilder.LacksMonitorFigures(held));
        // The same lab's records made with the job: every running domain has them.
        var running = DomstatsRawParser.Parse(SampleFile.Read("libvirt/domstats-raw.txt")).Where(s => s.UInt64("state.state") == 1).ToList();
        Assert.NotEmpty(running);
        Assert.All(running, s => Assert.False(LibvirtFactsBuilder.LacksMonitorFigures(s), s.Name));
        // A domain without disks loses nothing this program reports.
        Assert.False(LibvirtFactsBuilder.LacksMonitorFigures(new DomainStats("no disks", new Dictionary<string, StatValue> { ["state.state"] = new(1, null) })));
    }

    [Fact]
    public void ADomainBusyAtTheBulkCallIsAskedAgainAndReportedInFull()
    {
        var recorded = CopyRecordedLabWithBusyDomain();
        var recording = new RecordingDirectory(_dir);
        recording.Write(PosixQuote.Join(LibvirtRecordingLines.DomStatsOf(Busy)), Answer(JobHeldRecord()));
        recording.Write(PosixQuote.Join(LibvirtRecordingLines.DomStatsOf(Busy)), Answer(recorded));

        var json = Replay(out int exit, out var stderr);
        Assert.True(exit == CollectorProgram.ExitOk, stderr);
        Golden.AssertMatches(RepoPaths.Sample("libvirt", "recorded-lab", "golden.json"), json);
    }

    [Fact]
    public void ADomainThatStaysBusyLosesItsDisksNeverToZerosAndTheOthersAreUntouched()
    {
        CopyRecordedLabWithBusyDomain();
        var recording = new RecordingDirectory(_dir);
        for (int i = 0; i < 5; i++)
            recording.Write(PosixQuote.Join(LibvirtRecordingLines.DomStatsOf(Busy)), Answer(JobHeldRecord()));

        var json = Replay(out int exit, out var stderr);
        Assert.Equal(CollectorProgram.ExitIncomplete, exit);
        Assert.Contains($"domain '{Busy}': libvirt gave no disk sizes or counters", stderr);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(0, root.GetProperty("error").GetInt32());
        Assert.Contains($"domain '{Busy}'", root.GetProperty("errorString").GetString());

        var vms = root.GetProperty("data").GetProperty("VMs");
        var golden = JsonDocument.Parse(File.ReadAllText(RepoPaths.Sample("libvirt", "recorded-lab", "golden.json"))).RootElement.GetProperty("data").GetProperty("VMs");
        Assert.Empty(vms.GetProperty(Busy).GetProperty("disks").EnumerateObject());
        Assert.NotEmpty(golden.GetProperty(Busy).GetProperty("disks").EnumerateObject());
        Assert.Equal(golden.GetProperty(Busy).GetProperty("mem_alloc").GetRawText(), vms.GetProperty(Busy).GetProperty("mem_alloc").GetRawText());
        foreach (var vm in golden.EnumerateObject().Where(vm => vm.Name != Busy))
            Assert.Equal(vm.Value.GetRawText(), vms.GetProperty(vm.Name).GetRawText());
    }

    /// <summary>
    /// samples/libvirt/recorded-lab copied, its bulk answer holding <see cref="Busy"/>'s record made without the job.
    /// Returns the recorded (full) record.
    /// </summary>
    private DomainStats CopyRecordedLabWithBusyDomain()
    {
        Directory.CreateDirectory(_dir);
        string? bulkFile = null;
        foreach (var file in Directory.GetFiles(RepoPaths.Sample("libvirt", "recorded-lab")))
        {
            var target = Path.Combine(_dir, Path.GetFileName(file));
            File.Copy(file, target);
            if (file.EndsWith(".txt", StringComparison.Ordinal) && File.ReadLines(file).First() == "$ " + PosixQuote.Join(LibvirtRecordingLines.DomStats))
                bulkFile = target;
        }
        Assert.NotNull(bulkFile);
        var bulk = RecordingFile.Parse(File.ReadAllBytes(bulkFile), bulkFile).Result.StdoutText(out _);
        var records = DomstatsRawParser.Parse(bulk);
        var full = Assert.Single(records, r => r.Name == Busy);
        File.Delete(bulkFile);
        new RecordingDirectory(_dir).Write(PosixQuote.Join(LibvirtRecordingLines.DomStats),
            Answer([.. records.Select(r => r.Name == Busy ? JobHeldRecord() : r)]));
        return full;
    }

    private static CommandResult Answer(params DomainStats[] records) => CommandResult.Exited(0, Encoding.UTF8.GetBytes(DomstatsRawWriter.Write(records)), []);

    private string Replay(out int exit, out string stderr)
    {
        var stdout = new MemoryStream();
        var errors = new StringWriter();
        exit = CollectorProgram.Run(["-b", "Libvirt", "--replay", _dir, "--pretty"], stdout, errors);
        stderr = errors.ToString();
        return Encoding.UTF8.GetString(stdout.ToArray());
    }
}
