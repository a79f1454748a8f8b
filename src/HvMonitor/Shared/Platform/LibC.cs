using System.Runtime.InteropServices;

namespace HvMonitor.Shared.Platform;

/// <summary>The few libc calls we need (Tmds.LibC is not available to us, so these are declared here).</summary>
internal static partial class LibC
{
    private const int _SC_CLK_TCK = 2; // Linux/glibc value

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);

    [LibraryImport("libc", EntryPoint = "free")]
    internal static partial void Free(IntPtr pointer);

    /// <summary>USER_HZ, the unit of /proc/PID/stat times; 100 on every Linux we know, asked anyway.</summary>
    public static long ClockTicksPerSecond { get; } = QueryClockTicks();

    private static long QueryClockTicks()
    {
        long hz = OperatingSystem.IsLinux() ? SysConf(_SC_CLK_TCK) : -1;
        return hz > 0 ? hz : 100;
    }
}
