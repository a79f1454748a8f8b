using System.Globalization;
using HvMonitor.Collector.Facts;

namespace HvMonitor.Collector.Procfs;

/// <summary>
/// Reads process statistics from /proc (or a fixture tree standing in for it). All Linux process facts go
/// through here, over an <see cref="IProcFileSystem"/>: the host's files, those files recorded with <c>--record</c>,
/// or a recording with <c>--replay</c>. Everything time-dependent (uptime, clock ticks) is read from it, so a replay
/// gives the recorded run's numbers exactly.
/// </summary>
public sealed class ProcReader
{
    private readonly IProcFileSystem _files;
    private readonly Lazy<ulong> _memTotalKiB;
    private readonly Lazy<long> _clockTicks;
    private readonly Lazy<Dictionary<string, int>> _qemuPidsByGuest;

    /// <summary>Safe to use from several threads: the shared look-ups are computed once.</summary>
    public ProcReader(IProcFileSystem files)
    {
        _files = files;
        _memTotalKiB = new Lazy<ulong>(() => SystemInfo.ParseMemTotalKiB(_files.ReadFiles("meminfo")));
        _clockTicks = new Lazy<long>(() => _files.ClockTicksPerSecond() is var hz and > 0 ? hz : 100);
        _qemuPidsByGuest = new Lazy<Dictionary<string, int>>(ScanQemuProcesses);
    }

    public string ProcRoot => _files.Root;

    public ProcessStats ReadProcessStats(int pid)
    {
        var dir = pid.ToString(CultureInfo.InvariantCulture);
        // The uptime is read with the process's own counters, in one read, as ps does: pcpu and etimes divide
        // by the time elapsed, and a big host's collection lasts long enough for a once-read uptime to skew them.
        var uptimeAndStat = _files.ReadFiles("uptime", Path.Combine(dir, "stat"));
        int newline = uptimeAndStat.IndexOf('\n');
        if (newline < 0)
            throw new ProcParseException("/proc/uptime", uptimeAndStat, "no line break after the uptime");
        var uptime = SystemInfo.ParseUptime(uptimeAndStat[..newline]);
        var stat = ProcStatParser.Parse(uptimeAndStat[(newline + 1)..]);
        var status = ProcStatusParser.Parse(_files.ReadFiles(Path.Combine(dir, "status")));
        // MemTotal and the clock tick do not change during a collection: read once.
        return PsCalculator.Compute(stat, status, new SystemInfo(uptime, _memTotalKiB.Value, _clockTicks.Value));
    }

    /// <summary>The guest name on PID's QEMU command line, or null (not QEMU, gone, unreadable).</summary>
    private string? GuestNameOf(int pid)
    {
        try
        {
            return QemuCommandLine.GuestName(_files.ReadFiles(Path.Combine(pid.ToString(CultureInfo.InvariantCulture), "cmdline")));
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
            return int.TryParse(_files.ReadFiles(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private Dictionary<string, int> ScanQemuProcesses()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in _files.ListDirectory(""))
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
    /// as an argument), and with --record every read is written down. The short comm says QEMU or not; when it
    /// cannot be read (a stand-in /proc without it) the command line decides, as before.
    /// </summary>
    private bool IsQemu(int pid)
    {
        try
        {
            var comm = _files.ReadFiles(Path.Combine(pid.ToString(CultureInfo.InvariantCulture), "comm")).Trim();
            return comm.Contains("qemu", StringComparison.Ordinal) || comm == "kvm";
        }
        catch (IOException)
        {
            return true;
        }
    }
}
