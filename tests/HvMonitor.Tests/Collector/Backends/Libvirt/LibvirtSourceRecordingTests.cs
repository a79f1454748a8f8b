using HvMonitor.Collector.Backends;
using HvMonitor.Collector.Backends.Libvirt;
using HvMonitor.Collector.Model;
using HvMonitor.Shared.Commands;
using HvMonitor.Shared.Libvirt;
using Xunit;

namespace HvMonitor.Tests.Collector.Backends.Libvirt;

/// <summary>
/// The libvirt seam's recording and replay: what a source answered, failures included, is written in the recording
/// format and answered again, the same, by the replay; the files are headed by the virsh-like command line.
/// </summary>
public sealed class LibvirtSourceRecordingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hvm-libvirt-rec-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, true);
    }

    /// <summary>A hand-written source: answers from dictionaries, a missing key is libvirt's error.</summary>
    private sealed class DictionarySource : ILibvirtSource
    {
        public List<DomainStats> Stats { get; } = [];
        public Dictionary<string, string> Xml { get; } = [];
        public Dictionary<string, ulong> Snapshots { get; } = [];
        public Dictionary<string, string?> Bridges { get; } = [];
        public BackendException? ListFailure { get; init; }

        public IReadOnlyList<DomainStats> AllDomainStats() => ListFailure is { } e ? throw e : Stats;
        public DomainStats? DomainStatsAgain(string domain) => Stats.FirstOrDefault(s => s.Name == domain);
        public string DomainXml(string domain) => Xml.TryGetValue(domain, out var x) ? x : throw new LibvirtException($"no domain '{domain}'");
        public ulong SnapshotCount(string domain) => Snapshots.TryGetValue(domain, out var n) ? n : throw new LibvirtException($"no snapshots of '{domain}'");
        public string? NetworkBridge(string network) => Bridges.TryGetValue(network, out var b) ? b : throw new LibvirtException($"no network '{network}'");
        public void Dispose()
        {
        }
    }

    private static DictionarySource Host()
    {
        var host = new DictionarySource();
        host.Stats.Add(new DomainStats("hvm lab two", new Dictionary<string, StatValue>
        {
            ["state.state"] = new(1, null),
            ["block.0.path"] = StatValue.OfText("/var/lib/libvirt/images/a b.qcow2"),
            ["block.0.rd.bytes"] = new(123456789012, null),
        }));
        host.Xml["hvm lab two"] = "<domain type='kvm'><name>hvm lab two</name></domain>\n";
        host.Snapshots["hvm lab two"] = 3;
        host.Bridges["default"] = "virbr0";
        host.Bridges["isolated"] = null;
        return host;
    }

    [Fact]
    public void EveryAnswerIsReplayedAsRecorded()
    {
        var recording = new RecordingLibvirtSource(Host(), new RecordingDirectory(_dir));
        var stats = recording.AllDomainStats();
        var again = recording.DomainStatsAgain("hvm lab two");
        Assert.Null(recording.DomainStatsAgain("gone meanwhile"));
        var xml = recording.DomainXml("hvm lab two");
        var snapshots = recording.SnapshotCount("hvm lab two");
        var bridge = recording.NetworkBridge("default");
        Assert.Null(recording.NetworkBridge("isolated"));
        var missing = Assert.Throws<LibvirtException>(() => recording.DomainXml("gone"));

        var replay = new ReplayLibvirtSource(new ReplayCommandRunner(_dir));
        var replayed = Assert.Single(replay.AllDomainStats());
        Assert.Equal(stats.Single().Name, replayed.Name);
        Assert.Equal(stats.Single().Values, replayed.Values);
        var replayedAgain = replay.DomainStatsAgain("hvm lab two");
        Assert.Equal(again!.Name, replayedAgain!.Name);
        Assert.Equal(again.Values, replayedAgain.Values);
        Assert.Null(replay.DomainStatsAgain("gone meanwhile"));
        Assert.Equal(xml, replay.DomainXml("hvm lab two"));
        Assert.Equal(snapshots, replay.SnapshotCount("hvm lab two"));
        Assert.Equal(bridge, replay.NetworkBridge("default"));
        Assert.Null(replay.NetworkBridge("isolated"));
        Assert.Equal(missing.Message, Assert.Throws<LibvirtException>(() => replay.DomainXml("gone")).Message);
        Assert.Throws<ReplayMissingException>(() => replay.SnapshotCount("never asked"));

        var firstLines = Directory.GetFiles(_dir).Select(f => File.ReadLines(f).First()).ToList();
        Assert.Contains("$ virsh -r domstats --raw --state --balloon --interface --block --nowait", firstLines);
        Assert.Contains("$ virsh -r domstats --raw --state --balloon --interface --block --nowait 'hvm lab two'", firstLines);
        Assert.Contains("$ virsh -r dumpxml 'hvm lab two'", firstLines);
        Assert.Contains("$ libvirt snapshot-count 'hvm lab two'", firstLines);
        Assert.Contains("$ libvirt network-bridge default", firstLines);
    }

    [Theory]
    [InlineData(ErrorCodes.BackendUnavailable)]
    [InlineData(ErrorCodes.BackendFailed)]
    public void ALibvirtThatCannotBeAskedIsReplayedWithItsErrorCodeAndMessage(int code)
    {
        var host = new DictionarySource { ListFailure = new BackendException(code, "libvirt.so.0 could not be loaded") };
        var recorded = Assert.Throws<BackendException>(() => new RecordingLibvirtSource(host, new RecordingDirectory(_dir)).AllDomainStats());
        var replayed = Assert.Throws<BackendException>(() => new ReplayLibvirtSource(new ReplayCommandRunner(_dir)).AllDomainStats());
        Assert.Equal((recorded.ErrorCode, recorded.Message), (replayed.ErrorCode, replayed.Message));
    }

    [Fact]
    public async Task TheTestStallHangsTheNextDomainUntilTheDeadline()
    {
        using var deadline = new CancellationTokenSource();
        var stalling = new StallingLibvirtSource(Host(), 1, deadline.Token);
        Assert.StartsWith("<domain", stalling.DomainXml("hvm lab two"));
        var second = Task.Run(() => stalling.DomainXml("hvm lab two"));
        Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(200)));
        deadline.Cancel();
        await Assert.ThrowsAsync<OperationCanceledException>(() => second);
    }
}
