using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace HvMonitor.Shared.Platform;

/// <summary>
/// The libc calls Tmds.LibC binds, for Linux. Tmds.LibC is Linux-only (it binds libc.so.6 with Linux's
/// constants and ships its implementation for linux-x64/arm/arm64 only), so nothing outside this class names
/// it, and callers reach it only after <see cref="OperatingSystem.IsLinux"/>: on FreeBSD this class is never
/// compiled, and the assembly never loaded.
/// </summary>
internal static unsafe class LinuxLibC
{
    /// <summary>open(2) with the caller's flags (<see cref="SafeOpen.Flags"/>); the descriptor, or -1 and errno.</summary>
    public static int Open(string path, int flags, int mode, out int errno)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetMaxByteCount(path.Length) + 1];
        System.Text.Encoding.UTF8.GetBytes(path, bytes);
        int fd;
        fixed (byte* p = bytes)
            fd = open(p, flags, (mode_t)(uint)mode);
        errno = fd < 0 ? Tmds.Linux.LibC.errno : 0;
        return fd;
    }

    /// <summary>sysconf(3); Tmds.LibC has no _SC_* constants, so the caller passes glibc's value.</summary>
    public static long SysConf(int name) => sysconf(name);
}
