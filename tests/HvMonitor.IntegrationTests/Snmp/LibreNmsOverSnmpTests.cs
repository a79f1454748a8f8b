using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace HvMonitor.IntegrationTests.Snmp;

/// <summary>
/// The path users run: the shipped crontab.example and snmpd.conf.example lines, a real snmpd (dropping to
/// Debian-snmp as Debian runs it), and LibreNMS's json_app_get() reading nsExtendOutputFull."hv-monitor",
/// against the real lab guests (a name with a space, one with non-ASCII letters, one with a quote and a backslash),
/// in the three ways LibreNMS versions read it.
/// </summary>
[Collection(LabCollection.Name)]
public sealed partial class LibreNmsOverSnmpTests(ITestOutputHelper output)
{
    private const string Uri = LabFixture.Uri;

    /// <summary>Setup 1: the cron job as written, then snmpd serving the file with the example's extend line.</summary>
    [Theory]
    [InlineData("compressed")]
    [InlineData("plain")]
    public void CronModeCacheServedBySnmpdIsReadByLibreNms(string form)
    {
        var job = RepoExamples.CronJob();
        Assert.Equal("*/5 * * * *", job.Schedule);
        Assert.Equal("root", job.User);
        var extendLine = form == "compressed" ? RepoExamples.CronModeExtendLine() : RepoExamples.PlainJsonExtendLine();
        const string cache = "/var/cache/hv_monitor.json"; // the default -o, which the examples rely on
        Assert.EndsWith(form == "compressed" ? cache + ".snmp" : cache, extendLine);

        using var guard = new SystemPathGuard(cache, cache + ".snmp");
        var command = RepoExamples.CronCommand(HvMonitorBinary.Path);
        var run = Shell.Run(command[0], command[1..]);
        // -q: cron mails nothing (but a warning about another user's guest that vanished mid-run).
        LabGuests.AssertCleanForOurGuests(run.ExitCode, run.Stderr);
        Assert.Equal("", run.Stdout);

        using var snmpd = Snmpd.Start([extendLine]);
        var got = LibreNms.SnmpGet(snmpd);
        AssertLibreNmsSeesTheLab(got, File.ReadAllBytes(cache), form);
    }

    /// <summary>
    /// Setup 2: snmpd (as Debian-snmp) runs the example's serve-mode line. One collection, then snmpd's
    /// repeated runs are served from hv-monitor's cache until it is older than the TTL.
    /// </summary>
    [Fact]
    public void ServeModeRunBySnmpdAsItsUnprivilegedUserIsReadByLibreNms()
    {
        var extendLine = RepoExamples.ServeModeExtendLine(SnmpdUser.Binary);
        var cacheBase = RepoExamples.ArgumentOf(extendLine, "-o");
        var logFile = RepoExamples.ArgumentOf(extendLine, "--log");
        Assert.Contains(" -c ", extendLine); // LibreNMS gets the compressed form
        var cacheDir = Path.GetDirectoryName(cacheBase)!;
        var logDir = Path.GetDirectoryName(logFile)!;
        using var guard = new SystemPathGuard(cacheDir, logDir);
        // What the README tells users to create.
        SnmpdUser.CreateOwnedDirectory(cacheDir);
        SnmpdUser.CreateOwnedDirectory(logDir);

        using var snmpd = Snmpd.Start([extendLine], runAsUser: SnmpdUser.Name);
        var first = LibreNms.SnmpGet(snmpd);
        var firstAt = DateTime.UtcNow;
        AssertLibreNmsSeesTheLab(first, File.ReadAllBytes(cacheBase), "compressed");
        Assert.Single(CollectedLines(logFile));
        // It ran as snmpd's user: the cache and log are that user's files.
        foreach (var file in new[] { cacheBase, cacheBase + ".snmp", logFile })
            Assert.Equal(SnmpdUser.Uid, FileOwner(file));
        // Nothing but the "collected" line: no warning, no error from an unprivileged run (about our guests).
        Assert.DoesNotContain(File.ReadAllLines(logFile), l => !CollectedLine().IsMatch(l) && !l.Contains("warning: domain 'other", StringComparison.Ordinal));

        // snmpd keeps an extend's output for 5 s (nsExtendCacheTime); after that it runs hv-monitor again,
        // which serves its own cache: same bytes, no second collection.
        SleepUntil(firstAt + TimeSpan.FromSeconds(6));
        var cacheWritten = File.GetLastWriteTimeUtc(cacheBase + ".snmp");
        var second = LibreNms.SnmpGet(snmpd);
        Assert.Equal(first, second);
        Assert.Single(CollectedLines(logFile));
        Assert.Equal(cacheWritten, File.GetLastWriteTimeUtc(cacheBase + ".snmp"));

        // A cache older than the TTL is collected again.
        var stale = DateTime.UtcNow - TimeSpan.FromHours(1);
        File.SetLastWriteTimeUtc(cacheBase, stale);
        File.SetLastWriteTimeUtc(cacheBase + ".snmp", stale);
        var staleAt = DateTime.UtcNow;
        SleepUntil(staleAt + TimeSpan.FromSeconds(6));
        var third = LibreNms.SnmpGet(snmpd);
        Assert.Equal(2, CollectedLines(logFile).Count);
        Assert.True(File.GetLastWriteTimeUtc(cacheBase + ".snmp") > staleAt - TimeSpan.FromSeconds(1));
        AssertLibreNmsSeesTheLab(third, File.ReadAllBytes(cacheBase), "compressed");
    }

    private static List<string> CollectedLines(string logFile) =>
        File.ReadAllLines(logFile).Where(l => CollectedLine().IsMatch(l)).ToList();

    [GeneratedRegex(@"hv-monitor\[\d+\]: collected \d+ VM\(s\) in [0-9.]+ s$")]
    private static partial Regex CollectedLine();

    private static int FileOwner(string path) =>
        int.Parse(Shell.Check("stat", "-c", "%u", path).Trim(), CultureInfo.InvariantCulture);

    private static void SleepUntil(DateTime utc)
    {
        var wait = utc - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
            Thread.Sleep(wait);
    }

    /// <summary>
    /// The three ways LibreNMS reads snmpget's output (docs/librenms.md, "How LibreNMS reads the output"): the compressed form on LibreNMS
    /// ≥ 24.4 (no stripslashes) must give back exactly the JSON hv-monitor wrote; the compressed form on
    /// 22.11–24.3 and the plain form on every version (stripslashes) must still give a valid envelope with
    /// every VM, whose names lose only the backslash of their \u00XX escapes, and every number intact.
    /// </summary>
    private void AssertLibreNmsSeesTheLab(byte[] snmpgetOutput, byte[] jsonFile, string form)
    {
        output.WriteLine($"snmpget printed {snmpgetOutput.Length} bytes ({form}); the JSON file has {jsonFile.Length} bytes");
        if (form == "compressed")
            Assert.Matches("^[A-Za-z0-9/+]+=*\n$", Encoding.ASCII.GetString(snmpgetOutput));
        else
            Assert.StartsWith("{\"version\":1,", Encoding.UTF8.GetString(snmpgetOutput)); // raw, unquoted: the DisplayString hint

        var json = LibreNms.PhpTrim(jsonFile, "\n"u8);
        if (form == "compressed")
        {
            // Current LibreNMS, compressed: byte for byte the JSON file (without its final newline).
            Assert.Equal(json, LibreNms.DecodeToJsonText(snmpgetOutput, LibreNms.Release.Current));
            AssertEnvelopeHasTheLab(LibreNms.JsonAppGet(snmpgetOutput, LibreNms.Release.Current), jsonFile, exactNames: true);
            AssertEnvelopeHasTheLab(LibreNms.JsonAppGet(snmpgetOutput, LibreNms.Release.Before24_4), jsonFile, exactNames: false);
        }
        else
        {
            AssertEnvelopeHasTheLab(LibreNms.JsonAppGet(snmpgetOutput, LibreNms.Release.Current), jsonFile, exactNames: false);
        }
    }

    /// <summary>
    /// A valid envelope (error 0) with every lab domain, under its exact name or as stripslashes leaves it,
    /// with its state from virsh and every field the poller stores present, numeric and equal to hv-monitor's own JSON.
    /// </summary>
    private void AssertEnvelopeHasTheLab(JsonElement doc, byte[] jsonFile, bool exactNames)
    {
        Assert.Equal(1, doc.GetProperty("version").GetInt32());
        Assert.Equal(0, doc.GetProperty("error").GetInt32());
        LabGuests.AssertErrorStringCleanForOurGuests(doc.GetProperty("errorString").GetString()!);
        var data = doc.GetProperty("data");
        Assert.Equal("libvirt", data.GetProperty("hv").GetString());

        // Ground truth from virsh, not from hv-monitor.
        var names = GroundTruth.DomainNames(Uri);
        var stats = GroundTruth.DomStats(Uri);
        Assert.Contains(names, n => n.Contains(' '));
        Assert.Contains(names, n => n.Any(c => c > 127));
        Assert.Contains(names, n => n.Contains('"') && n.Contains('\\'));
        string Seen(string name) => exactNames ? name : LibreNms.AfterStripslashes(name);
        var vms = data.GetProperty("VMs");
        // Our guests only; stripslashes() leaves their names starting with "hvm" still.
        Assert.Equal(names.Select(Seen).Order(StringComparer.Ordinal), LabGuests.OurNames(vms));
        foreach (var name in names)
            Assert.Equal(int.Parse(stats[name]["state.state"], CultureInfo.InvariantCulture), vms.GetProperty(Seen(name)).GetProperty("status_int").GetInt32());

        int checkedValues = LibreNms.AssertEveryPolledFieldIsANumber(data);
        int disks = vms.EnumerateObject().Sum(vm => vm.Value.GetProperty("disks").EnumerateObject().Count());
        int nics = vms.EnumerateObject().Sum(vm => vm.Value.GetProperty("ifs").EnumerateObject().Count());
        Assert.True(disks > 0 && nics > 0, "the lab should have disks and interfaces for the poller to read");
        output.WriteLine($"{(exactNames ? "exact" : "stripslashes")}: {names.Count} VMs, {disks} disks, {nics} interfaces: {checkedValues} polled values present and numeric");

        // And each of them equal to hv-monitor's own raw JSON file.
        using var raw = JsonDocument.Parse(jsonFile);
        if (exactNames)
        {
            Assert.Equal(JsonSerializer.Serialize(raw.RootElement), JsonSerializer.Serialize(doc));
            return;
        }
        var rawData = raw.RootElement.GetProperty("data");
        Assert.Equal(JsonSerializer.Serialize(rawData.GetProperty("totals")), JsonSerializer.Serialize(data.GetProperty("totals")));
        Assert.Equal(rawData.GetProperty("VMs").EnumerateObject().Count(), vms.EnumerateObject().Count());
        foreach (var name in names)
            Assert.Equal(JsonSerializer.Serialize(rawData.GetProperty("VMs").GetProperty(name)), JsonSerializer.Serialize(vms.GetProperty(Seen(name))));
    }
}
