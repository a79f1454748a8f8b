using System.Runtime.InteropServices;

namespace HvMonitor.Benchmarks;

/// <summary>
/// The libc calls the harness needs to start a program and account for it exactly: posix_spawn,
/// wait4 (CPU time), ptrace (peak RSS at exit, and counting the processes a run creates), kill.
/// Linux x86-64/arm64 glibc layouts.
/// </summary>
internal static unsafe partial class Native
{
    private const string Libc = "libc";

    public const int SIGKILL = 9, SIGTRAP = 5, SIGSTOP = 19, SIGCONT = 18, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22;
    public const int EINTR = 4, ESRCH = 3, ECHILD = 10;

    public const int WNOHANG = 1, WUNTRACED = 2;
    public const int __WALL = 0x40000000;

    public const int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0x40, O_TRUNC = 0x200;

    public const int PTRACE_CONT = 7, PTRACE_DETACH = 17;
    public const int PTRACE_GETEVENTMSG = 0x4201, PTRACE_SEIZE = 0x4206;

    public const int PTRACE_O_TRACEFORK = 0x2, PTRACE_O_TRACEVFORK = 0x4, PTRACE_O_TRACECLONE = 0x8,
        PTRACE_O_TRACEEXEC = 0x10, PTRACE_O_TRACEEXIT = 0x40, PTRACE_O_EXITKILL = 0x100000;

    public const int PTRACE_EVENT_FORK = 1, PTRACE_EVENT_VFORK = 2, PTRACE_EVENT_CLONE = 3, PTRACE_EVENT_EXEC = 4,
        PTRACE_EVENT_EXIT = 6, PTRACE_EVENT_STOP = 128;

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeVal
    {
        public long Sec;
        public long Usec;

        public readonly double Milliseconds => Sec * 1000.0 + Usec / 1000.0;
    }

    /// <summary>struct rusage: two timevals and fourteen longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RUsage
    {
        public TimeVal UTime;
        public TimeVal STime;
        public long MaxRssKiB;
        public long IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NvCsw, NivCsw;
    }

    // posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336 on glibc; the harness gives
    // each a larger zeroed block so that no layout detail matters.
    public const int SpawnStructBytes = 1024;

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int FileActionsInit(void* actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int FileActionsAddOpen(void* actions, int fd, string path, int oflag, uint mode);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int FileActionsDestroy(void* actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int PosixSpawn(out int pid, string path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Libc, EntryPoint = "wait4", SetLastError = true)]
    public static partial int Wait4(int pid, out int status, int options, RUsage* rusage);

    [LibraryImport(Libc, EntryPoint = "ptrace", SetLastError = true)]
    public static partial long PTrace(long request, int pid, IntPtr addr, IntPtr data);

    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    public static bool WIfExited(int status) => (status & 0x7f) == 0;
    public static int WExitStatus(int status) => (status >> 8) & 0xff;
    public static bool WIfSignaled(int status) => (status & 0x7f) != 0 && (status & 0x7f) != 0x7f;
    public static int WTermSig(int status) => status & 0x7f;
    public static bool WIfStopped(int status) => (status & 0xff) == 0x7f;
    public static int WStopSig(int status) => (status >> 8) & 0xff;
    public static int PtraceEvent(int status) => status >> 16;

    /// <summary>A NULL-terminated char*[] in native memory; free with <see cref="FreeStringArray"/>.</summary>
    public static byte** AllocStringArray(IReadOnlyList<string> items)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(items.Count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < items.Count; i++)
            array[i] = (byte*)Marshal.StringToCoTaskMemUTF8(items[i]);
        return array;
    }

    public static void FreeStringArray(byte** array)
    {
        for (byte** p = array; *p != null; p++)
            Marshal.FreeCoTaskMem((IntPtr)(*p));
        NativeMemory.Free(array);
    }
}
