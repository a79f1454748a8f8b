using System.Text;
using HvMonitor.Collector;
using Xunit;

namespace HvMonitor.Tests.Collector.Backends.Cbsd;

/// <summary>
/// Every recorded host under samples/cbsd/ replayed through the whole program (<c>-b CBSD --replay DIR --pretty</c>)
/// and compared byte for byte with its golden.json. HV_MONITOR_REWRITE_GOLDEN=1 rewrites the goldens on purpose
/// (after a deliberate change of the output, e.g. the JSON encoder); review the diff before committing.
/// </summary>
public class RecordedCbsdHostTests
{
    private static List<string> HostNames() =>
        [.. Directory.EnumerateDirectories(RepoPaths.Sample("cbsd")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Hosts() => new(HostNames());

    public static (int Exit, string Stdout, string Stderr) Replay(string host)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        int exit = CollectorProgram.Run(["-b", "CBSD", "--replay", RepoPaths.Sample("cbsd", host), "--pretty"], stdout, stderr);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void ReplayPrintsTheGoldenJson(string host)
    {
        var (exit, json, stderr) = Replay(host);
        var golden = RepoPaths.Sample("cbsd", host, "golden.json");
        Golden.AssertMatches(golden, json);
        // A host whose golden carries warnings (an error row, the jid placeholder, a foreign pid) is usable but
        // incomplete; one without is complete.
        bool warned = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("errorString").GetString() is { Length: > 0 };
        Assert.True(exit == (warned ? CollectorProgram.ExitIncomplete : CollectorProgram.ExitOk), $"exit {exit}: {stderr}");
    }

    [Fact]
    public void TheSamplesTogetherCoverWhatTheIssueAsksFor()
    {
        var hosts = HostNames();
        Assert.True(hosts.Count >= 2);
        var all = string.Join("\n", hosts.SelectMany(h => Directory.EnumerateFiles(RepoPaths.Sample("cbsd", h), "*.txt")).Select(File.ReadAllText));
        var vms = hosts.Sum(h => System.Text.Json.JsonDocument.Parse(Replay(h).Stdout).RootElement.GetProperty("data").GetProperty("VMs").EnumerateObject().Count());
        Assert.True(vms >= 8, $"{vms} VMs");
        foreach (var needle in new[] { "\x1b[0;32m", " On ", " Off ", "Maintenance:", "Unknown", "Unregister", "Unable", "1.4G/20g", "0:00.01", "fe80::", "vm10", "freebsd14.1", "773K", "1.39M", "2.45G", "0B" })
            Assert.Contains(needle, all);
        // Every sample file says, in a comment, what it exercises.
        foreach (var file in hosts.SelectMany(h => Directory.EnumerateFiles(RepoPaths.Sample("cbsd", h), "*.txt")))
            Assert.StartsWith("# ", File.ReadAllLines(file)[1]);
    }
}
