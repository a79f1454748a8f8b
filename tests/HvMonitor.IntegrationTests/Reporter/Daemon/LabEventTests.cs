using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HvMonitor.IntegrationTests.Reporter.Candlepin;
using Xunit;

namespace HvMonitor.IntegrationTests.Reporter.Daemon;

/// <summary>
/// The daemon against the real libvirt lab (run under flock /tmp/hv-lab.lock): while `report -i 3600`
/// runs, a guest started or destroyed with virsh is on the stand-in Candlepin within 10 s with its new
/// state (docs/virt-who-compatibility.md, D7), and a libvirtd restart does not stop the daemon (it reconnects and still sees events).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class LabEventTests : StandInCandlepinTest
{
    private const string Uri = LabFixture.Uri;
    private const string Guest = "hvm-off-1";
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(10);

    public LabEventTests()
    {
        // A remote section over the local system libvirt: async check-ins carry every guest's state.
        Box.Write("/etc/virt-who.d/lab.conf", $"""
            [lab]
            type=libvirt
            server={Uri}
            owner={Server.Owner}
            rhsm_username={Server.BasicAuth!.Value.User}
            rhsm_password={Server.BasicAuth!.Value.Password}
            """);
    }

    // These tests restart libvirtd: they must hold the shared lab lock even when run without flock.
    private IDisposable? _labLock;

    public override async Task InitializeAsync()
    {
        _labLock = LabLock.Hold();
        await base.InitializeAsync();
        EnsureOff();
    }

    public override async Task DisposeAsync()
    {
        EnsureOff();
        _labLock?.Dispose();
        await base.DisposeAsync();
    }

    private static void EnsureOff()
    {
        if (GroundTruth.Virsh(Uri, "domstate", Guest).Trim() != "shut off")
            Shell.Run("virsh", "-c", Uri, "destroy", Guest);
    }

    /// <summary>The guest's state in the newest check-in, or null if it is not in it.</summary>
    private int? StateInLastCheckIn(string uuid)
    {
        var post = Server.Requests.LastOrDefault(r => r.Method == "POST" && r.Status == 200);
        if (post is null)
            return null;
        var guest = JsonDocument.Parse(post.Body).RootElement.GetProperty("hypervisors")[0].GetProperty("guestIds").EnumerateArray()
            .FirstOrDefault(g => g.GetProperty("guestId").GetString() == uuid);
        return guest.ValueKind == JsonValueKind.Object ? guest.GetProperty("state").GetInt32() : null;
    }

    private TimeSpan TimeUntilState(string uuid, int state, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit + TimeSpan.FromSeconds(20))
        {
            if (StateInLastCheckIn(uuid) == state)
                return clock.Elapsed;
            Thread.Sleep(100);
        }
        throw new TimeoutException($"state {state} of {uuid} never reached the stand-in; it saw:\n"
                                   + string.Join("\n", Server.Requests.Select(r => $"{r.At:HH:mm:ss.fff} {r.Method} {r.Target} -> {r.Status}")));
    }

    private RunningReporter StartDaemon() =>
        Box.StartWithTiming("jobpoll=0.5,debounce=1,eventgap=1,reconnect=1", "-i", "3600");

    [Fact]
    public void StartingAndDestroyingAGuestReachTheServerWithinTenSeconds()
    {
        var uuid = GroundTruth.Virsh(Uri, "domuuid", Guest).Trim();
        using var daemon = StartDaemon();
        Server.WaitFor(r => r.Method == "POST" && r.Status == 200, TimeSpan.FromSeconds(60), "the first check-in");
        Assert.Equal(5, StateInLastCheckIn(uuid));

        Shell.Check("virsh", "-c", Uri, "start", Guest);
        Assert.Equal("running", GroundTruth.Virsh(Uri, "domstate", Guest).Trim());
        var started = TimeUntilState(uuid, 1, Promise);

        Shell.Check("virsh", "-c", Uri, "destroy", Guest);
        Assert.Equal("shut off", GroundTruth.Virsh(Uri, "domstate", Guest).Trim());
        var destroyed = TimeUntilState(uuid, 5, Promise);

        Assert.True(started < Promise, $"the start took {started.TotalSeconds:0.0} s to reach the server");
        Assert.True(destroyed < Promise, $"the destroy took {destroyed.TotalSeconds:0.0} s to reach the server");
        Assert.Equal(0, daemon.Stop());
        Assert.Empty(Server.Violations);
    }

    [Fact]
    public void ALibvirtdRestartDoesNotStopTheDaemonAndEventsFollowAfterwards()
    {
        var uuid = GroundTruth.Virsh(Uri, "domuuid", Guest).Trim();
        using var daemon = StartDaemon();
        Server.WaitFor(r => r.Method == "POST" && r.Status == 200, TimeSpan.FromSeconds(60), "the first check-in");

        RestartLibvirtd();
        Assert.False(daemon.Process.HasExited, daemon.Stderr);
        daemon.WaitForLog("Reconnected to libvirt at 'qemu:///system'", TimeSpan.FromSeconds(30));

        Shell.Check("virsh", "-c", Uri, "start", Guest);
        var started = TimeUntilState(uuid, 1, Promise);
        Assert.True(started < Promise, $"after the restart, the start took {started.TotalSeconds:0.0} s to reach the server");
        Assert.False(daemon.Process.HasExited);
        Assert.Equal(0, daemon.Stop());
    }

    /// <summary>
    /// Stops libvirtd as lab.sh does (SIGTERM, wait) and starts it again with lab.sh start. These tests run
    /// under `flock /tmp/hv-lab.lock`, whose descriptor every child inherits: the new libvirtd would keep the
    /// shared lab lock for its whole life and block every other lab user. So lab.sh is started with every
    /// descriptor above stderr closed, and the test checks that libvirtd holds no lock file.
    /// </summary>
    internal static void RestartLibvirtd()
    {
        var pid = GroundTruth.LibvirtdPid();
        Shell.Check("kill", "-TERM", pid.ToString(CultureInfo.InvariantCulture));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Directory.Exists($"/proc/{pid}") && DateTime.UtcNow < until)
            Thread.Sleep(100);
        Assert.False(Directory.Exists($"/proc/{pid}"), "libvirtd did not stop");
        const string closeInheritedThenStart = """
            for fd in /proc/$$/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi; done 2>/dev/null
            exec bash "$0" start
            """;
        var r = Shell.Run("bash", ["-c", closeInheritedThenStart, Path.Combine(RepoPaths.Root, "tests", "lab", "lab.sh")], timeout: TimeSpan.FromMinutes(5));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var newPid = GroundTruth.LibvirtdPid();
        var held = Directory.GetFiles($"/proc/{newPid}/fd").Select(fd => new FileInfo(fd).LinkTarget).Where(t => t is not null && t.EndsWith(".lock", StringComparison.Ordinal)).ToList();
        Assert.True(held.Count == 0, "the restarted libvirtd holds " + string.Join(", ", held));
    }
}

/// <summary>
/// The shared lab lock (/tmp/hv-lab.lock, see common etiquette): already held when the test run was started
/// under `flock` (the runner's descriptor is inherited, visible in /proc/self/fd); otherwise taken here for
/// the test's duration, so a run without flock cannot restart libvirtd under another user's lab test.
/// </summary>
internal static class LabLock
{
    public const string Path = "/tmp/hv-lab.lock";

    public static IDisposable? Hold()
    {
        foreach (var fd in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget == Path)
                    return null;
            }
            catch (IOException)
            {
            }
        }
        return HvMonitor.Shared.Platform.FileLock.TryAcquire(Path, TimeSpan.FromMinutes(30))
               ?? throw new TimeoutException($"{Path} stayed locked for 30 minutes");
    }
}
