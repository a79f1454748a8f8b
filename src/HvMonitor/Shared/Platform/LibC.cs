using System.Runtime.InteropServices;

namespace HvMonitor.Shared.Platform;

/// <summary>
/// The libc calls outside <see cref="LinuxLibC"/> (Tmds.LibC): free(3), which Tmds.LibC does not bind and which
/// releases the strings libvirt allocates, on Linux and FreeBSD alike.
/// </summary>
internal static partial class LibC
{
    private const int _SC_CLK_TCK = 2; // Linux/glibc value

    [LibraryImport("libc", EntryPoint = "free")]
    internal static partial void Free(IntPtr pointer);

    /// <summary>USER_HZ, the unit of /proc/PID/stat times; 100 on every Linux we know, asked anyway.</summary>
    public static long ClockTicksPerSecond { get; } = QueryClockTicks();

    private static long QueryClockTicks()
    {
        long hz = OperatingSystem.IsLinux() ? LinuxLibC.SysConf(_SC_CLK_TCK) : -1;
        return hz > 0 ? hz : 100;
    }
}
