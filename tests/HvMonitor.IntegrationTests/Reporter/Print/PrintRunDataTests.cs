using System.Diagnostics;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter.Print;

/// <summary>
/// docs/virt-who-compatibility.md, "State file run_data.json": every run, -p included, first adds the missing run_data.json entries, in Python's compact
/// json.dumps layout, read-modify-written under flock on /run/virt-who-status.pid. The sections are type=cbsd
/// replaying samples/cbsd-report, so no libvirt is involved.
/// </summary>
public sealed class PrintRunDataTests
{
    private const string TwoSections = "[bsd]\ntype=cbsd\nowner=Org\n\n[another]\ntype=cbsd\nowner=Org\n";

    /// <summary>Expected JSON written with ' for " (no value here holds a quote), to keep the lines readable.</summary>
    private static string Q(string json) => json.Replace('\'', '"');

    private static string RunDataPath(ReportRun run) => Path.Combine(run.Root, "var", "lib", "virt-who", "run_data.json");

    [Fact]
    public void PrintCreatesTheEntriesOfEverySectionWithNulls()
    {
        using var run = ReportRun.With(TwoSections);
        Assert.False(File.Exists(RunDataPath(run)));

        var (hypervisors, _) = run.Print("--replay", CbsdSample.Directory);

        Assert.Equal(2, hypervisors.Length);
        Assert.Equal(
            Q("{'sources': {'another': {'last_successful_retrieve': null}, 'bsd': {'last_successful_retrieve': null}}, ")
            + Q("'destinations': {'another': {'last_successful_send': null, 'last_job_id': null}, 'bsd': {'last_successful_send': null, 'last_job_id': null}}}"),
            File.ReadAllText(RunDataPath(run)));
    }

    [Fact]
    public void PrintKeepsTheEntriesThatAreThereAndAddsOnlyTheMissingOnes()
    {
        using var run = ReportRun.With(TwoSections);
        string existing =
            Q("{'sources': {'bsd': {'last_successful_retrieve': '2026-11-22 04:30:15 UTC', 'hypervisors': 1, 'guests': 7}, 'gone': {'last_successful_retrieve': null}}, ")
            + Q("'destinations': {'bsd': {'last_successful_send': '2026-11-22 04:30:17 UTC', 'last_job_id': 'hypervisor_update_9'}}}");
        Directory.CreateDirectory(Path.GetDirectoryName(RunDataPath(run))!);
        File.WriteAllText(RunDataPath(run), existing);

        run.Print("--replay", CbsdSample.Directory);

        Assert.Equal(
            Q("{'sources': {'bsd': {'last_successful_retrieve': '2026-11-22 04:30:15 UTC', 'hypervisors': 1, 'guests': 7}, 'gone': {'last_successful_retrieve': null}, ")
            + Q("'another': {'last_successful_retrieve': null}}, ")
            + Q("'destinations': {'bsd': {'last_successful_send': '2026-11-22 04:30:17 UTC', 'last_job_id': 'hypervisor_update_9'}, ")
            + Q("'another': {'last_successful_send': null, 'last_job_id': null}}}"),
            File.ReadAllText(RunDataPath(run)));
    }

    [Fact]
    public void PrintWritesNothingWhileAnotherProcessHoldsTheStatusLockAndStillPrints()
    {
        using var run = ReportRun.With(TwoSections);
        var lockFile = Path.Combine(run.Root, "run", "virt-who-status.pid");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        var ready = Path.Combine(run.Root, "locked");
        // flock(1) holds the lock (as a running daemon or status run would) until its sleep ends.
        using var holder = Process.Start(new ProcessStartInfo("flock", [lockFile, "sh", "-c", $"touch '{ready}'; sleep 10"]))!;
        try
        {
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!File.Exists(ready) && DateTime.UtcNow < until)
                Thread.Sleep(20);
            Assert.True(File.Exists(ready), "flock(1) did not take the lock");

            var (hypervisors, r) = run.Print("--replay", CbsdSample.Directory);

            Assert.Equal(2, hypervisors.Length);
            Assert.Contains("Unable to record run data. Cannot get lock on file.", r.Stderr);
            Assert.False(File.Exists(RunDataPath(run)));
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }
    }
}
