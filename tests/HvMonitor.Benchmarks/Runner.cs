using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using static HvMonitor.Benchmarks.Native;

namespace HvMonitor.Benchmarks;

/// <summary>One run of a program, measured from outside.</summary>
public sealed record RunResult(
    int ExitCode,
    double WallMs,
    double UserMs,
    double SysMs,
    long? PeakRssKiB,
    long? RssAnonKiB,
    long? RssFileKiB,
    string StdoutPath,
    string StderrPath)
{
    public double CpuMs => UserMs + SysMs;
    public bool Succeeded => ExitCode == 0;
}

/// <summary>What one traced run created: processes (fork, vfork, clone without CLONE_THREAD), execs after the first, threads.</summary>
public sealed record SpawnCount(int Processes, int Execs, int Threads, int ExitCode, IReadOnlyList<string> Details);

/// <summary>
/// Starts programs with posix_spawn and accounts for them with wait4 and ptrace, all on the calling
/// thread (ptrace requests must come from the thread that attached). Nothing here uses
/// System.Diagnostics.Process, whose SIGCHLD handling would race with our wait4.
/// </summary>
/// <remarks>
/// Peak RSS is read from /proc/PID/status (VmHWM) when the process stops at exit
/// (PTRACE_O_TRACEEXIT), not from wait4's ru_maxrss: posix_spawn starts the child in the parent's
/// address space (CLONE_VM|CLONE_VFORK), and at exec Linux folds that address space's high-water mark
/// into the child's ru_maxrss, so a 40 MiB harness would make every child look at least 40 MiB big.
/// VmHWM belongs to the address space exec created, so it is the program's own peak.
/// </remarks>
public static unsafe class Runner
{
    /// <summary>For diagnosis: when set to a directory, every measured process's /proc/PID/smaps at exit is copied there.</summary>
    public const string SmapsDirVariable = "HVBENCH_SMAPS_DIR";

    private static readonly IReadOnlyList<string> Environ = BuildEnviron();

    private static List<string> BuildEnviron()
    {
        var env = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env.Add($"{e.Key}={e.Value}");
        env.Sort(StringComparer.Ordinal);
        return env;
    }

    /// <summary>Runs EXE ARGS once: stdin /dev/null, stdout and stderr to files; wall, CPU and peak RSS.</summary>
    public static RunResult Run(string exe, IReadOnlyList<string> args, string stdoutPath, bool measureRss = true)
    {
        string stderrPath = stdoutPath + ".stderr";
        long start = Stopwatch.GetTimestamp();
        int pid = Spawn(exe, args, stdoutPath, stderrPath);
        if (measureRss)
            PTrace(PTRACE_SEIZE, pid, IntPtr.Zero, PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL);

        long? peakKiB = null, anonKiB = null, fileKiB = null;
        long pausedTicks = 0;
        RUsage usage;
        int status;
        while (true)
        {
            if (Wait4(pid, out status, __WALL, &usage) < 0)
            {
                if (Marshal.GetLastPInvokeError() == EINTR)
                    continue;
                throw new InvalidOperationException($"wait4({pid}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
            if (!WIfStopped(status))
                break;
            int ev = PtraceEvent(status);
            if (ev == PTRACE_EVENT_EXIT)
            {
                long t = Stopwatch.GetTimestamp();
                peakKiB = ReadStatusKiB(pid, "VmHWM:");
                anonKiB = ReadStatusKiB(pid, "RssAnon:");
                fileKiB = ReadStatusKiB(pid, "RssFile:");
                if (Environment.GetEnvironmentVariable(SmapsDirVariable) is { Length: > 0 } smapsDir)
                    File.Copy($"/proc/{pid}/smaps", Path.Combine(smapsDir, $"{Path.GetFileName(exe)}-{pid}.smaps"), overwrite: true);
                PTrace(PTRACE_CONT, pid, IntPtr.Zero, IntPtr.Zero);
                pausedTicks += Stopwatch.GetTimestamp() - t;
            }
            else
            {
                // A group-stop (PTRACE_EVENT_STOP) is resumed; a signal-delivery-stop delivers its signal.
                int sig = ev == PTRACE_EVENT_STOP ? 0 : WStopSig(status);
                PTrace(PTRACE_CONT, pid, IntPtr.Zero, sig);
            }
        }
        long end = Stopwatch.GetTimestamp();
        double wall = (end - start - pausedTicks) * 1000.0 / Stopwatch.Frequency;
        int exitCode = WIfExited(status) ? WExitStatus(status) : 128 + WTermSig(status);
        return new RunResult(exitCode, wall, usage.UTime.Milliseconds, usage.STime.Milliseconds, peakKiB, anonKiB, fileKiB, stdoutPath, stderrPath);
    }

    /// <summary>
    /// Runs EXE ARGS once under ptrace from its first instruction and counts every process it (or any
    /// descendant) creates and every exec after the initial one. The program is started through
    /// <c>/bin/sh -c 'kill -STOP $$; exec "$0" "$@"'</c> so that it is attached before it can start a
    /// thread; the shell's exec into EXE is the initial exec and is not counted.
    /// </summary>
    public static SpawnCount CountSpawns(string exe, IReadOnlyList<string> args, string stdoutPath, TimeSpan timeout)
    {
        var shArgs = new List<string> { "-c", "kill -STOP $$; exec \"$0\" \"$@\"", exe };
        shArgs.AddRange(args);
        int leader = Spawn("/bin/sh", shArgs, stdoutPath, stdoutPath + ".stderr");

        // Wait for the shell to stop itself, then attach and let it go on.
        while (true)
        {
            if (Wait4(leader, out int st, WUNTRACED, null) < 0)
            {
                if (Marshal.GetLastPInvokeError() == EINTR)
                    continue;
                throw new InvalidOperationException("wait4 on the trampoline shell failed");
            }
            if (WIfStopped(st))
                break;
            throw new InvalidOperationException($"the trampoline shell ended before it stopped (status {st})");
        }
        const int options = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
        if (PTrace(PTRACE_SEIZE, leader, IntPtr.Zero, options) != 0)
            throw new InvalidOperationException($"PTRACE_SEIZE failed: errno {Marshal.GetLastPInvokeError()}");
        Kill(leader, SIGCONT);

        int processes = 0, execs = 0, threads = 0, exitCode = -1;
        bool leaderExecd = false, leaderGone = false;
        var details = new List<string>();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            int w = Wait4(-1, out int status, __WALL | (leaderGone ? WNOHANG : 0), null);
            if (w < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR)
                    continue;
                if (errno == ECHILD)
                    break;
                throw new InvalidOperationException($"wait4(-1) failed: errno {errno}");
            }
            if (w == 0)
            {
                // Only descendants that outlive the program are left: give them a moment, then stop watching.
                if (deadline.Elapsed > timeout)
                {
                    details.Add("descendants still running when the count stopped");
                    break;
                }
                Thread.Sleep(10);
                continue;
            }
            if (!WIfStopped(status))
            {
                if (w == leader)
                {
                    leaderGone = true;
                    exitCode = WIfExited(status) ? WExitStatus(status) : 128 + WTermSig(status);
                    deadline.Restart();
                    timeout = TimeSpan.FromSeconds(2);
                }
                continue;
            }
            int ev = PtraceEvent(status);
            int signal = 0;
            switch (ev)
            {
                case PTRACE_EVENT_FORK:
                case PTRACE_EVENT_VFORK:
                    processes++;
                    details.Add($"{(ev == PTRACE_EVENT_FORK ? "fork" : "vfork")} by {Describe(w)} -> pid {EventMessage(w)}");
                    break;
                case PTRACE_EVENT_CLONE:
                    long tid = EventMessage(w);
                    // CLONE_THREAD shares the thread group: Tgid differs from the new id. Otherwise it is a process.
                    if (ReadStatusValue((int)tid, "Tgid:") is long tgid && tgid == tid)
                    {
                        processes++;
                        details.Add($"clone (new process) by {Describe(w)} -> pid {tid}");
                    }
                    else
                    {
                        threads++;
                    }
                    break;
                case PTRACE_EVENT_EXEC:
                    if (w == leader && !leaderExecd)
                    {
                        leaderExecd = true;
                    }
                    else
                    {
                        execs++;
                        details.Add($"exec in pid {w}: {Describe(w)}");
                    }
                    break;
                case PTRACE_EVENT_STOP:
                    break; // a new tracee's first stop, or a group-stop: resume
                default:
                    signal = WStopSig(status);
                    break;
            }
            PTrace(PTRACE_CONT, w, IntPtr.Zero, signal);
        }
        return new SpawnCount(processes, execs, threads, exitCode, details);
    }

    private static long EventMessage(int pid)
    {
        long msg = 0;
        PTrace(PTRACE_GETEVENTMSG, pid, IntPtr.Zero, (IntPtr)(&msg));
        return msg;
    }

    private static string Describe(int pid)
    {
        try
        {
            var exe = File.ResolveLinkTarget($"/proc/{pid}/exe", false)?.FullName ?? "?";
            return $"pid {pid} ({exe})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"pid {pid}";
        }
    }

    private static long? ReadStatusKiB(int pid, string key) => ReadStatusValue(pid, key);

    /// <summary>The first number on the KEY line of /proc/PID/status (kB for memory lines).</summary>
    private static long? ReadStatusValue(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith(key, StringComparison.Ordinal))
                    continue;
                var parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    private static int Spawn(string exe, IReadOnlyList<string> args, string stdoutPath, string stderrPath)
    {
        var argv = new List<string>(args.Count + 1) { exe };
        argv.AddRange(args);
        byte** pArgv = AllocStringArray(argv);
        byte** pEnv = AllocStringArray(Environ);
        void* actions = NativeMemory.AllocZeroed(SpawnStructBytes);
        try
        {
            Check(FileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(FileActionsAddOpen(actions, 0, "/dev/null", O_RDONLY, 0), "addopen stdin");
            Check(FileActionsAddOpen(actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0x1a4), "addopen stdout");
            Check(FileActionsAddOpen(actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0x1a4), "addopen stderr");
            int rc = PosixSpawn(out int pid, exe, actions, null, pArgv, pEnv);
            if (rc != 0)
                throw new InvalidOperationException($"posix_spawn {exe} failed: errno {rc}");
            return pid;
        }
        finally
        {
            FileActionsDestroy(actions);
            NativeMemory.Free(actions);
            FreeStringArray(pArgv);
            FreeStringArray(pEnv);
        }
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0)
            throw new InvalidOperationException($"{what} failed: errno {rc}");
    }
}
