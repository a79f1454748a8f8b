using HvMonitor.Collector.Facts;

namespace HvMonitor.Collector.Procfs;

/// <summary>
/// Computes the columns of <c>ps -o pcpu,pmem,etimes,pri,nice,vsz,...</c> from /proc the way procps-ng does,
/// so our numbers can be checked against ps itself. Pure.
/// </summary>
public static class PsCalculator
{
    public static ProcessStats Compute(ProcStat stat, ProcStatus status, SystemInfo system)
    {
        double hz = system.ClockTicksPerSecond;
        // procps-ng 4 works in clock ticks since boot: elapsed = uptime*Hertz - start_time.
        double elapsedTicks = system.UptimeSeconds * hz - stat.StartTimeTicks;
        ulong etimes = elapsedTicks > 0 ? (ulong)(elapsedTicks / hz) : 0;

        // procps pr_pcpu: utilisation = (utime+stime) * 100 / elapsed ticks, shown truncated to one decimal.
        ulong ticks = stat.UTimeTicks + stat.STimeTicks;
        ulong pcpuPermille = elapsedTicks > 0 ? (ulong)(ticks * 1000.0 / elapsedTicks) : 0;

        // procps pr_pmem: per-mille = VmRSS(kB) * 1000 / MemTotal(kB).
        ulong pmemPermille = system.MemTotalKiB > 0 ? status.VmRssKiB * 1000UL / system.MemTotalKiB : 0;

        return new ProcessStats
        {
            Pcpu = pcpuPermille / 10.0,
            Pmem = pmemPermille / 10.0,
            Etimes = etimes,
            // procps pr_pri: 39 - priority, so a nice-0 process shows 19.
            Pri = 39 - stat.Priority,
            Nice = stat.Nice,
            Vsz = stat.VSizeBytes,
            Rss = status.VmRssKiB * 1024UL,
            Majflt = stat.MajFlt,
            Minflt = stat.MinFlt,
            Usertime = Math.Round(stat.UTimeTicks / hz, 2),
            Systime = Math.Round(stat.STimeTicks / hz, 2),
            Nvcsw = status.VoluntaryCtxtSwitches,
            Nivcsw = status.NonvoluntaryCtxtSwitches,
        };
    }
}
