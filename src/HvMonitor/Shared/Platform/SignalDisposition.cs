using System.Runtime.InteropServices;

namespace HvMonitor.Shared.Platform;

/// <summary>
/// A signal a process inherits as ignored (nohup, <c>trap '' HUP</c>, some supervisors) stays ignored in .NET:
/// a PosixSignalRegistration for it is never called. A daemon that must react to SIGHUP/SIGTERM/SIGINT
/// however it was started first puts such a signal back to its default action, then registers.
/// Two small libc calls; the signal numbers 1 (HUP), 2 (INT) and 15 (TERM) are the same on Linux and FreeBSD.
/// </summary>
internal static unsafe partial class SignalDisposition
{
    public const int SIGHUP = 1, SIGINT = 2, SIGTERM = 15;

    private static readonly IntPtr SIG_DFL = 0, SIG_IGN = 1;

    // struct sigaction begins with the handler on Linux (glibc, musl) and FreeBSD; the rest of it
    // (mask, flags) is at most 152 bytes: 512 leaves room on every libc.
    private const int SigactionBufferSize = 512;

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    private static partial int SigAction(int signal, void* action, void* oldAction);

    [LibraryImport("libc", EntryPoint = "signal", SetLastError = true)]
    private static partial IntPtr Signal(int signal, IntPtr handler);

    /// <summary>True when the process ignores <paramref name="signal"/> right now (SIG_IGN).</summary>
    public static bool IsIgnored(int signal)
    {
        byte* old = stackalloc byte[SigactionBufferSize];
        return SigAction(signal, null, old) == 0 && *(IntPtr*)old == SIG_IGN;
    }

    /// <summary>An ignored signal gets its default action back; a handled one (.NET's own) is left alone.</summary>
    public static void RestoreDefaultIfIgnored(int signal)
    {
        if (IsIgnored(signal))
            Signal(signal, SIG_DFL);
    }
}
