using System.ComponentModel;
using System.Diagnostics;

namespace HvMonitor.Shared.Commands;

/// <summary>
/// Runs real processes: argv through <see cref="ProcessStartInfo.ArgumentList"/> (no shell, so a name with
/// <c>;</c>, <c>$()</c> or quotes is only ever data), stdin closed, stdout and stderr read whole and separately,
/// the command's own exit status kept, and the whole process tree killed at the timeout or on cancellation.
/// <para>
/// Every child starts with an explicit environment and nothing of ours: whatever the shell, cron job or
/// systemd unit that started hv-monitor exported would otherwise change what the tools print. COLUMNS makes
/// FreeBSD's ps cut its last column even into a pipe; CBSD's scripts take <c>workdir</c>/<c>cbsd_workdir</c>
/// and <c>NOCOLOR</c> from the environment before rc.conf; LANG/LC_* change ps's decimal point. The child
/// gets exactly:
/// </para>
/// <list type="bullet">
/// <item>PATH = <see cref="CommandLocations.SearchPath"/> (CBSD's scripts run their helpers by name);</item>
/// <item>LC_ALL=C: ps prints its times with the locale's decimal point, and the parsers expect '.';</item>
/// <item>the request's own variables (NOCOLOR=1 for cbsd).</item>
/// </list>
/// No HOME, TERM or USER: none of the programs reads them for what we ask (CBSD finds its workdir in rc.conf,
/// not under HOME), and snmpd's extend gives none either, so a run from a login shell and one from snmpd
/// see the same tools behave the same way.
/// </summary>
public sealed class ProcessCommandRunner(CommandLocations locations) : ICommandRunner
{
    /// <summary>After a kill, how long to wait for the pipes to close before giving up on the rest of the output.</summary>
    private static readonly TimeSpan DrainAfterKill = TimeSpan.FromSeconds(2);

    public CommandResult Run(CommandRequest request, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(locations.Resolve(request.Argv[0]))
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in request.Argv.Skip(1))
            start.ArgumentList.Add(arg);
        // Nothing inherited: see the class summary for what each variable is for.
        start.Environment.Clear();
        start.Environment["PATH"] = locations.SearchPath;
        start.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in request.Environment)
            start.Environment[name] = value;

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or IOException or UnauthorizedAccessException)
        {
            return new CommandResult(CommandOutcome.NotStarted, -1, [],
                System.Text.Encoding.UTF8.GetBytes($"{start.FileName}: {e.Message}"));
        }
        // Nothing to read from us: a command that asks for input must not hang on snmpd's stdin.
        process.StandardInput.Close();

        var stdout = ReadAllAsync(process.StandardOutput.BaseStream);
        var stderr = ReadAllAsync(process.StandardError.BaseStream);
        bool exited;
        using (cancellation.Register(() => Kill(process)))
            exited = process.WaitForExit(request.Timeout);
        if (!exited)
        {
            Kill(process);
            process.WaitForExit(DrainAfterKill);
        }
        // The process is gone; its pipes close once any child it left behind lets go of them.
        Task.WaitAll([stdout, stderr], DrainAfterKill);
        var outBytes = stdout.IsCompletedSuccessfully ? stdout.Result : [];
        var errBytes = stderr.IsCompletedSuccessfully ? stderr.Result : [];
        cancellation.ThrowIfCancellationRequested();
        return exited
            ? CommandResult.Exited(process.ExitCode, outBytes, errBytes)
            : new CommandResult(CommandOutcome.TimedOut, -1, outBytes, errBytes);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }
}
