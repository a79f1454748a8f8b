using System.Globalization;
using HvMonitor.Collector.Model;
using HvMonitor.Shared.Commands;
using HvMonitor.Shared.Text;

namespace HvMonitor.Collector.Procfs;

/// <summary>
/// Reads process statistics from /proc (or a fixture tree standing in for it). All Linux process facts go
/// through here, as file probes (<c>cat</c>, <c>ls</c>, <c>getconf</c>) of a runner: in process normally
/// (<see cref="ProcFileRunner"/>, no child process), recorded with <c>--record</c>, answered from a recording
/// with <c>--replay</c>. Everything time-dependent (uptime, clock ticks) is such a probe, so a replay gives the
/// recorded run's numbers exactly.
/// </summary>
public sealed class ProcReader
{
    private readonly ICommandRunner _files;
    private readonly Lazy<ulong> _memTotalKiB;
    private readonly Lazy<long> _clockTicks;
    private readonly Lazy<Dictionary<string, int>> _qemuPidsByGuest;

    /// <summary>Safe to use from several threads: the shared look-ups are computed once.</summary>
    public ProcReader(string procRoot = "/proc", ICommandRunner? files = null)
    {
        ProcRoot = procRoot;
        _files = files ?? new ProcFileRunner();
        _memTotalKiB = new Lazy<ulong>(() => SystemInfo.ParseMemTotalKiB(Cat(Path.Combine(ProcRoot, "meminfo"))));
        _clockTicks = new Lazy<long>(() => long.TryParse(Probe(["getconf", "CLK_TCK"]).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var hz) && hz > 0 ? hz : 100);
        _qemuPidsByGuest = new Lazy<Dictionary<string, int>>(ScanQemuProcesses);
    }

    public string ProcRoot { get; }

    public ProcessStats ReadProcessStats(int pid)
    {
        var dir = Path.Combine(ProcRoot, pid.ToString(CultureInfo.InvariantCulture));
        // The uptime is read with the process's own counters, in one probe, as ps does: pcpu and etimes divide
        // by the time elapsed, and a big host's collection lasts long enough for a once-read uptime to skew them.
        var uptimeAndStat = Cat(Path.Combine(ProcRoot, "uptime"), Path.Combine(dir, "stat"));
        int newline = uptimeAndStat.IndexOf('\n');
        if (newline < 0)
            throw new ProcParseException("/proc/uptime", uptimeAndStat, "no line break after the uptime");
        var uptime = SystemInfo.ParseUptime(uptimeAndStat[..newline]);
        var stat = ProcStatParser.Parse(uptimeAndStat[(newline + 1)..]);
        var status = ProcStatusParser.Parse(Cat(Path.Combine(dir, "status")));
        // MemTotal and the clock tick do not change during a collection: read once.
        return PsCalculator.Compute(stat, status, new SystemInfo(uptime, _memTotalKiB.Value, _clockTicks.Value));
    }

    /// <summary>The guest name on PID's QEMU command line, or null (not QEMU, gone, unreadable).</summary>
    public string? GuestNameOf(int pid)
    {
        try
        {
            return QemuCommandLine.GuestName(Cat(Path.Combine(ProcRoot, pid.ToString(CultureInfo.InvariantCulture), "cmdline")));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Finds the QEMU process of a guest. The libvirt pid file is tried first (one read); it is trusted
    /// only if that process's command line names exactly this guest. Otherwise one scan of /proc maps
    /// every QEMU guest name to its pid, shared by all later look-ups, so the cost stays linear.
    /// </summary>
    public int? FindQemuPid(string guestName, string? pidFile)
    {
        if (pidFile is not null && TryReadPidFile(pidFile) is int pid && GuestNameOf(pid) == guestName)
            return pid;
        return _qemuPidsByGuest.Value.TryGetValue(guestName, out var found) ? found : null;
    }

    private int? TryReadPidFile(string path)
    {
        try
        {
            return int.TryParse(Cat(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private Dictionary<string, int> ScanQemuProcesses()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in Probe(["ls", ProcRoot]).Split('\n'))
        {
            if (!int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || !IsQemu(pid))
                continue;
            if (GuestNameOf(pid) is { Length: > 0 } name)
                map.TryAdd(name, pid);
        }
        return map;
    }

    /// <summary>
    /// Only QEMU's command line is read: other processes' command lines may carry secrets (a password given
    /// as an argument), and with --record every read is written down. The short comm says QEMU or not.
    /// </summary>
    private bool IsQemu(int pid)
    {
        try
        {
            var comm = Cat(Path.Combine(ProcRoot, pid.ToString(CultureInfo.InvariantCulture), "comm")).Trim();
            return comm.Contains("qemu", StringComparison.Ordinal) || comm == "kvm";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private string Cat(params string[] paths) => Probe(["cat", .. paths]);

    /// <summary>A file probe's text; its failure as an <see cref="IOException"/> carrying the original message.</summary>
    private string Probe(string[] argv)
    {
        var request = new CommandRequest(argv, TimeSpan.FromSeconds(10));
        var result = _files.Run(request, CancellationToken.None);
        if (!result.Succeeded)
            throw new IOException(Utf8Text.Decode(result.Stderr, out _) is { Length: > 0 } m ? m : result.DescribeFailure(request));
        return result.StdoutText(out _);
    }
}
