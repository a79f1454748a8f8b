using System.Globalization;
using System.Text;
using HvMonitor.Shared.Commands;
using HvMonitor.Shared.Platform;

namespace HvMonitor.Collector.Procfs;

/// <summary>
/// Answers the file probes of the Linux backend in process, no child process: <c>cat FILE...</c> (the files'
/// bytes, concatenated), <c>ls DIR</c> (entry names, sorted, one per line) and <c>getconf CLK_TCK</c>. Being a
/// runner, its reads are recorded and replayed like any command.
/// </summary>
public sealed class ProcFileRunner : ICommandRunner
{
    public CommandResult Run(CommandRequest request, CancellationToken cancellation)
    {
        var argv = request.Argv;
        try
        {
            return argv[0] switch
            {
                "cat" when argv.Count > 1 => Ok([.. argv.Skip(1).SelectMany(File.ReadAllBytes)]),
                "ls" when argv.Count == 2 => Ok(Encoding.UTF8.GetBytes(string.Concat(
                    Directory.EnumerateFileSystemEntries(argv[1]).Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(n => n + "\n")))),
                "getconf" when argv.Count == 2 && argv[1] == "CLK_TCK" =>
                    Ok(Encoding.ASCII.GetBytes(LibC.ClockTicksPerSecond.ToString(CultureInfo.InvariantCulture) + "\n")),
                _ => throw new ArgumentException($"not a file probe: {request.DisplayLine}"),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CommandResult.Exited(1, [], Encoding.UTF8.GetBytes(e.Message));
        }
    }

    private static CommandResult Ok(byte[] stdout) => CommandResult.Exited(0, stdout, []);
}
