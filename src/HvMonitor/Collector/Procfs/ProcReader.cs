using System.Globalization;
using HvMonitor.Collector.Model;
using HvMonitor.Shared.Platform;

namespace HvMonitor.Collector.Procfs;

/// <summary>
/// Reads process statistics from /proc (or a fixture tree standing in for it). All Linux process
/// facts go through here: no ps, no child process.
/// </summary>
public sealed class ProcReader
{
    private readonly Lazy<ulong> _memTotalKiB;
    private readonly Lazy<Dictionary<string, int>> _qemuPidsByGuest;

    /// <summary>Safe to use from several threads: the shared look-ups are computed once.</summary>
    public ProcReader(string procRoot = "/proc")
    {
        ProcRoot = procRoot;
        _memTotalKiB = new Lazy<ulong>(() => SystemInfo.ParseMemTotalKiB(File.ReadAllText(Path.Combine(ProcRoot, "meminfo"))));
        _qemuPidsByGuest = new Lazy<Dictionary<string, int>>(ScanQemuProcesses);
    }

    public string ProcRoot { get; }

    public ProcessStats ReadProcessStats(int pid)
    {
        var dir = Path.Combine(ProcRoot, pid.ToString(CultureInfo.InvariantCulture));
        // The uptime is read next to the process's own counters, as ps does: pcpu and etimes divide by the
        // time elapsed, and a big host's collection lasts long enough for a once-read uptime to skew them.
        var uptime = SystemInfo.ParseUptime(File.ReadAllText(Path.Combine(ProcRoot, "uptime")));
        var stat = ProcStatParser.Parse(File.ReadAllText(Path.Combine(dir, "stat")));
        var status = ProcStatusParser.Parse(File.ReadAllText(Path.Combine(dir, "status")));
        // MemTotal does not change during a collection: read once.
        return PsCalculator.Compute(stat, status, new SystemInfo(uptime, _memTotalKiB.Value, LibC.ClockTicksPerSecond));
    }

    /// <summary>The guest name on PID's QEMU command line, or null (not QEMU, gone, unreadable).</summary>
    public string? GuestNameOf(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText(Path.Combine(ProcRoot, pid.ToString(CultureInfo.InvariantCulture), "cmdline"));
            return QemuCommandLine.GuestName(cmdline);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
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

    private static int? TryReadPidFile(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private Dictionary<string, int> ScanQemuProcesses()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories(ProcRoot))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            if (GuestNameOf(pid) is { Length: > 0 } name)
                map.TryAdd(name, pid);
        }
        return map;
    }
}
