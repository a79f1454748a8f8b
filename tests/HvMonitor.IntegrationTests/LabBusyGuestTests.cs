using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>
/// A lab guest whose job another client holds for the whole run: its QEMU is stopped (SIGSTOP) and a `virsh domstats`
/// of it waits on the monitor, holding the job; libvirt then gives hv-monitor that guest's stats without any disk
/// figure. Its disks must be left out with a warning, never reported as zero sizes and counters, and the other guests
/// must come out whole. QEMU is always resumed.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class LabBusyGuestTests
{
    private const string Uri = LabFixture.Uri;
    private const string Busy = "hvm lab two";

    [Fact]
    public void AGuestKeptBusyByAnotherClientLosesItsDisksNeverToZeros()
    {
        CommandResult json, prometheus;
        var qemu = GroundTruth.QemuPid(Busy).ToString(CultureInfo.InvariantCulture);
        Shell.Check("kill", "-STOP", qemu);
        Process? holder = null;
        try
        {
            holder = Process.Start(new ProcessStartInfo("virsh", ["-r", "-c", Uri, "domstats", "--raw", Busy])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            // Time for the stuck query to reach libvirtd and take the job. Then virsh's own view: with the job held,
            // --nowait gives the disk names but none of their figures. Should this look get the job first (the query
            // above not there yet), it hangs on the stopped QEMU and holds the job itself: held either way.
            Thread.Sleep(1000);
            try
            {
                var view = Shell.Run("virsh", ["-r", "-c", Uri, "domstats", "--raw", "--block", "--nowait", Busy], timeout: TimeSpan.FromSeconds(5));
                Assert.True(view.ExitCode == 0, view.Stderr);
                Assert.DoesNotContain("block.0.rd.reqs=", view.Stdout);
                Assert.Contains("block.0.name=", view.Stdout);
            }
            catch (TimeoutException)
            {
            }
            json = HvMonitorBinary.Run("--uri", Uri);
            prometheus = HvMonitorBinary.Run("--uri", Uri, "--format", "prometheus");
        }
        finally
        {
            Shell.Check("kill", "-CONT", qemu);
            if (holder is not null)
            {
                if (!holder.WaitForExit(30_000))
                    holder.Kill();
                holder.Dispose();
            }
        }

        Assert.Equal(3, json.ExitCode);
        Assert.Contains($"domain '{Busy}': libvirt gave no disk sizes or counters", json.Stderr);
        var vms = JsonDocument.Parse(json.StdoutBytes).RootElement.GetProperty("data").GetProperty("VMs");
        Assert.Empty(vms.GetProperty(Busy).GetProperty("disks").EnumerateObject());
        Assert.DoesNotContain($"hv_monitor_vm_disk_capacity_bytes{{vm=\"{Busy}\"", prometheus.Stdout);
        Assert.DoesNotContain($"hv_monitor_vm_disk_read_bytes_total{{vm=\"{Busy}\"", prometheus.Stdout);

        // Every other running guest of ours, whole: its disk sizes are what virsh says now (sizes do not move).
        var stats = GroundTruth.DomStats(Uri);
        var others = stats.Where(kv => kv.Key != Busy && kv.Value["state.state"] == "1").ToList();
        Assert.NotEmpty(others);
        foreach (var (name, s) in others)
        {
            var disks = vms.GetProperty(name).GetProperty("disks");
            for (int i = 0; i < (int)s.U("block.count"); i++)
            {
                if (s.TryGetValue($"block.{i}.capacity", out var capacity))
                    Assert.True(capacity == disks.GetProperty(s[$"block.{i}.name"]).GetProperty("alloc").GetRawText(), $"{name}: {s[$"block.{i}.name"]}");
            }
        }
    }
}
