using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>The lab under stress: no child processes, a broken VM, a hung daemon.</summary>
[Collection(LabCollection.Name)]
public sealed class LabRobustnessTests
{
    private const string Uri = LabFixture.Uri;

    [Fact]
    public void ACollectionSpawnsNoChildProcess()
    {
        var trace = Path.Combine(Directory.CreateTempSubdirectory("hvm-strace-").FullName, "trace");
        var r = Shell.Run("strace", ["-f", "-qq", "-o", trace, "-e", "trace=fork,vfork,clone,clone3,execve", HvMonitorBinary.Path, "--uri", Uri]);
        LabGuests.AssertCleanForOurGuests(r.ExitCode, r.Stderr);
        Assert.NotEmpty(LabGuests.Ours(JsonDocument.Parse(r.StdoutBytes).RootElement.GetProperty("data").GetProperty("VMs")));
        var lines = File.ReadAllLines(trace);
        // One execve: strace starting hv-monitor itself. Every clone must create a thread, not a process.
        Assert.Single(lines, l => l.Contains("execve(", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => Regex.IsMatch(l, @"\b(v?fork)\(") && !l.Contains("resumed", StringComparison.Ordinal));
        var clones = lines.Where(l => Regex.IsMatch(l, @"\bclone3?\(") && l.Contains("flags", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(clones); // .NET starts threads: proves the trace saw them
        Assert.All(clones, l => Assert.Contains("CLONE_THREAD", l));
    }

    [Fact]
    public void ABrokenVmIsReportedWithAWarningAndDoesNotHideTheOthers()
    {
        // Our own running guests only (GroundTruth reads only hvm-* guests on the lab), in a fixed order: the
        // broken one is always the lab's 'hvm "q" \b', never someone else's guest.
        var stats = GroundTruth.DomStats(Uri);
        var running = stats.Where(kv => kv.Value["state.state"] == "1").Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        // Paused guests have a QEMU process too: the stand-in holds every one of ours, so only the broken one warns.
        var withProcess = stats.Where(kv => kv.Value["state.state"] is "1" or "3").Select(kv => kv.Key).ToList();
        Assert.True(running.Count >= 2);
        Assert.All(running, n => Assert.True(LabGuests.IsOurs(n), n));
        var broken = running.Single(n => n.Contains('"'));
        // A /proc stand-in: the real files, except that the broken VM's stat is garbage.
        var root = Directory.CreateTempSubdirectory("hvm-proc-").FullName;
        File.Copy("/proc/uptime", Path.Combine(root, "uptime"));
        File.Copy("/proc/meminfo", Path.Combine(root, "meminfo"));
        foreach (var name in withProcess)
        {
            var pid = GroundTruth.QemuPid(name).ToString(CultureInfo.InvariantCulture);
            var dir = Directory.CreateDirectory(Path.Combine(root, pid)).FullName;
            foreach (var file in new[] { "cmdline", "stat", "status" })
                File.WriteAllBytes(Path.Combine(dir, file), File.ReadAllBytes($"/proc/{pid}/{file}"));
            if (name == broken)
                File.WriteAllText(Path.Combine(dir, "stat"), "this is not a stat line");
        }

        var r = HvMonitorBinary.Run("--uri", Uri, "--proc-root", root);
        Assert.Equal(3, r.ExitCode); // incomplete: every VM, but one without its process figures
        Assert.Contains($"domain '{broken}': reading its QEMU process failed", r.Stderr);
        // No other warning about our guests (other users' guests are not in this /proc stand-in: theirs are expected).
        Assert.DoesNotContain(r.Stderr.Split('\n'), l => l.Contains("domain 'hvm", StringComparison.Ordinal) && !l.Contains($"domain '{broken}'", StringComparison.Ordinal));
        var report = JsonDocument.Parse(r.StdoutBytes).RootElement;
        Assert.Equal(0, report.GetProperty("error").GetInt32());
        Assert.Contains("warning", report.GetProperty("errorString").GetString());
        var vms = report.GetProperty("data").GetProperty("VMs");
        Assert.Equal(GroundTruth.DomainNames(Uri).Order(StringComparer.Ordinal), LabGuests.OurNames(vms));
        var brokenVm = vms.GetProperty(broken);
        Assert.Equal(1, brokenVm.GetProperty("status_int").GetInt32());
        Assert.Equal(0UL, brokenVm.GetProperty("etimes").GetUInt64());
        Assert.NotEmpty(brokenVm.GetProperty("disks").EnumerateObject());
        foreach (var name in running.Where(n => n != broken))
            Assert.True(vms.GetProperty(name).GetProperty("etimes").GetUInt64() > 0, $"{name} lost its process figures");
    }

    /// <summary>
    /// Pauses the host's libvirtd (SIGSTOP) for a few seconds and resumes it (SIGCONT), under the lab lock; every
    /// client of that libvirtd waits meanwhile. The README's testing notes say so.
    /// </summary>
    [Fact]
    public void AHungDaemonCannotHoldTheRunPastTheDeadline()
    {
        var pid = GroundTruth.LibvirtdPid();
        Shell.Check("kill", "-STOP", pid.ToString(CultureInfo.InvariantCulture));
        CommandResult r;
        var clock = Stopwatch.StartNew();
        try
        {
            r = HvMonitorBinary.Run("--uri", Uri, "--timeout", "2");
        }
        finally
        {
            Shell.Check("kill", "-CONT", pid.ToString(CultureInfo.InvariantCulture));
        }
        clock.Stop();
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.5, 10);
        Assert.Equal(1, r.ExitCode);
        var e = JsonDocument.Parse(r.StdoutBytes).RootElement;
        Assert.Equal(2, e.GetProperty("error").GetInt32());
        Assert.Contains("did not finish within 2 s", e.GetProperty("errorString").GetString());
    }
}
