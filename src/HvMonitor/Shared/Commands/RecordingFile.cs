using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HvMonitor.Shared.Commands;

/// <summary>
/// One recorded probe, one plain-text file:
/// <code>
/// $ cbsd bls header=0 node= display=jname,jid alljails=0
/// # exit 1
/// # stderr: cbsd: no such command
/// ...the probe's stdout, byte for byte...
/// </code>
/// Line 1 is <c>$ </c> plus the argv quoted as a POSIX shell needs it. Then any lines starting with <c>#</c>
/// form the header: <c># exit N</c> (a non-zero status; also <c># exit timeout</c> and <c># exit not-started</c>),
/// <c># stderr: TEXT</c> (a failed probe's stderr, <c>\n</c> and <c>\\</c> escaped), and free comments (the hand-written
/// samples say there what they exercise). An optional <c># --</c> line ends the header explicitly; the recorder
/// writes it when stdout itself begins with <c>#</c>. Everything after the header is stdout.
/// </summary>
public sealed record RecordingFile(string CommandLine, CommandResult Result)
{
    private const string EndOfHeader = "# --";

    public static byte[] Format(string commandLine, CommandResult result)
    {
        var header = new StringBuilder().Append("$ ").Append(commandLine).Append('\n');
        switch (result.Outcome)
        {
            case CommandOutcome.TimedOut: header.Append("# exit timeout\n"); break;
            case CommandOutcome.NotStarted: header.Append("# exit not-started\n"); break;
            case CommandOutcome.Exited when result.ExitCode != 0:
                header.Append("# exit ").Append(result.ExitCode.ToString(CultureInfo.InvariantCulture)).Append('\n');
                break;
        }
        // Only a failure's stderr can reach a message; a successful probe's stderr is not part of its answer.
        if (!result.Succeeded && result.Stderr.Length > 0)
            header.Append("# stderr: ").Append(Escape(Text.Utf8Text.Decode(result.Stderr, out _))).Append('\n');
        if (result.Stdout.Length > 0 && result.Stdout[0] == (byte)'#')
            header.Append(EndOfHeader).Append('\n');
        return [.. Encoding.UTF8.GetBytes(header.ToString()), .. result.Stdout];
    }

    /// <summary>Longer lines are cut to this many characters when a message quotes them.</summary>
    public const int QuotedLineLimit = 200;

    /// <summary>Reads one recording file; a malformed one is a <see cref="RecordingException"/> naming <paramref name="fileName"/> and the problem.</summary>
    public static RecordingFile Parse(byte[] bytes, string fileName)
    {
        int pos = 0;
        string first = NextLine(bytes, ref pos) ?? throw Bad(fileName, "it is empty; a recording file starts with '$ ' and the probe's command");
        if (!first.StartsWith("$ ", StringComparison.Ordinal) || first.Length == 2)
            throw Bad(fileName, $"its first line {Quote(first)} is not '$ ' and the probe's command");
        var outcome = CommandOutcome.Exited;
        int exit = 0;
        string stderr = "";
        while (pos < bytes.Length && bytes[pos] == (byte)'#')
        {
            string line = NextLine(bytes, ref pos)!;
            if (line == EndOfHeader)
                break;
            if (line.StartsWith("# exit ", StringComparison.Ordinal))
            {
                string value = line["# exit ".Length..].Trim();
                if (value == "timeout")
                    outcome = CommandOutcome.TimedOut;
                else if (value == "not-started")
                    outcome = CommandOutcome.NotStarted;
                else if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exit))
                    throw Bad(fileName, $"{Quote(line)} is not '# exit N' with N a whole number (or 'timeout', 'not-started')");
            }
            else if (line.StartsWith("# stderr: ", StringComparison.Ordinal))
            {
                stderr = Unescape(line["# stderr: ".Length..]);
            }
        }
        var result = new CommandResult(outcome, outcome == CommandOutcome.Exited ? exit : -1, bytes[pos..], Encoding.UTF8.GetBytes(stderr));
        return new RecordingFile(first[2..], result);
    }

    /// <summary>A readable, stable file name: the command's words, then a hash of the whole line (names may clash).</summary>
    public static string FileNameFor(string commandLine, int occurrence)
    {
        var slug = new StringBuilder();
        foreach (char c in commandLine)
        {
            char safe = char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_';
            if (safe == '_' && slug.Length > 0 && slug[^1] == '_')
                continue;
            slug.Append(safe);
            if (slug.Length >= 60)
                break;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(commandLine)))[..8];
        // "~002" sorts after ".txt" and in number order, so replay finds repeats in recorded order.
        string suffix = occurrence > 1 ? "~" + occurrence.ToString("D3", CultureInfo.InvariantCulture) : "";
        return $"{slug.ToString().Trim('_', '.')}-{hash}{suffix}.txt";
    }

    private static string? NextLine(byte[] bytes, ref int pos)
    {
        if (pos >= bytes.Length)
            return null;
        int end = Array.IndexOf(bytes, (byte)'\n', pos);
        int stop = end < 0 ? bytes.Length : end;
        var line = Encoding.UTF8.GetString(bytes, pos, stop - pos).TrimEnd('\r');
        pos = end < 0 ? bytes.Length : end + 1;
        return line;
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r");

    private static string Unescape(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                sb.Append(text[i] switch { 'n' => '\n', 'r' => '\r', _ => text[i] });
            }
            else
            {
                sb.Append(text[i]);
            }
        }
        return sb.ToString();
    }

    private static RecordingException Bad(string fileName, string why) => new($"recording file {fileName}: {why}");

    /// <summary>A line for a message: quoted, at most <see cref="QuotedLineLimit"/> characters of it.</summary>
    public static string Quote(string line) =>
        line.Length <= QuotedLineLimit
            ? "'" + line + "'"
            : string.Create(CultureInfo.InvariantCulture, $"'{line[..QuotedLineLimit]}...' ({line.Length} characters)");
}

/// <summary>
/// A recording that cannot be replayed: a file that is malformed, too large or not a regular file. An
/// <see cref="IOException"/>, so that callers treat it like any other file they cannot read.
/// </summary>
public sealed class RecordingException(string message) : IOException(message)
{
}
