using HvMonitor.Shared.Text;

namespace HvMonitor.Shared.Commands;

public enum CommandOutcome
{
    /// <summary>The command ran and exited; see <see cref="CommandResult.ExitCode"/>.</summary>
    Exited,
    /// <summary>The command ran past its timeout and was killed with everything it started.</summary>
    TimedOut,
    /// <summary>The command could not be started (not installed, not executable).</summary>
    NotStarted,
}

/// <summary>What a command did: how it ended, and its stdout and stderr as the bytes it wrote.</summary>
public sealed record CommandResult(CommandOutcome Outcome, int ExitCode, byte[] Stdout, byte[] Stderr)
{
    public static CommandResult Exited(int exitCode, byte[] stdout, byte[] stderr) => new(CommandOutcome.Exited, exitCode, stdout, stderr);

    public bool Succeeded => Outcome == CommandOutcome.Exited && ExitCode == 0;

    /// <summary>stdout as text; <paramref name="replaced"/> says an invalid UTF-8 sequence became U+FFFD.</summary>
    public string StdoutText(out bool replaced) => Utf8Text.Decode(Stdout, out replaced);

    /// <summary>
    /// Why the command failed, for a warning or an envelope error: how it ended plus the first line it
    /// wrote on stderr (or, failing that, stdout: CBSD prints its errors there).
    /// </summary>
    public string DescribeFailure(CommandRequest request)
    {
        string how = Outcome switch
        {
            CommandOutcome.TimedOut => $"did not finish within {request.Timeout.TotalSeconds:0.###} s and was killed",
            CommandOutcome.NotStarted => "could not be started",
            _ => $"exited with status {ExitCode}",
        };
        string detail = FirstLine(Stderr) ?? FirstLine(Stdout) ?? "";
        return $"'{request.DisplayLine}' {how}" + (detail.Length > 0 ? ": " + detail : "");
    }

    private static string? FirstLine(byte[] bytes)
    {
        var text = Utf8Text.Decode(bytes, out _);
        foreach (var line in text.Split('\n'))
        {
            var clean = AnsiColour.Strip(line).Trim();
            if (clean.Length > 0)
                return clean.Length > 300 ? clean[..300] + "..." : clean;
        }
        return null;
    }
}
