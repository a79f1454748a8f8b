using System.Text;

namespace HvMonitor.Shared.Commands;

/// <summary>
/// Where a recording is written: one <see cref="RecordingFile"/> per answered probe, named after its command line. A
/// probe answered twice gets a second file (<c>~002</c>), which replay serves in turn. Every recorder of one run
/// (the command runner, the libvirt source, the /proc reader) writes through one instance, so the counts are shared.
/// Safe to use from several threads.
/// </summary>
public sealed class RecordingDirectory(string directory)
{
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public string Path => directory;

    /// <summary>Writes <paramref name="result"/> as the answer to <paramref name="commandLine"/> (a POSIX-quoted argv).</summary>
    public void Write(string commandLine, CommandResult result)
    {
        int occurrence;
        lock (_lock)
        {
            _occurrences[commandLine] = occurrence = _occurrences.GetValueOrDefault(commandLine) + 1;
        }
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(System.IO.Path.Combine(directory, RecordingFile.FileNameFor(commandLine, occurrence)), RecordingFile.Format(commandLine, result));
    }

    /// <summary>
    /// An in-process answer recorded as if <paramref name="argv"/> had printed it: <paramref name="ask"/>'s answer as
    /// text (a null text is "none": exit 1 with nothing on stderr), or its <typeparamref name="TFailure"/> as exit 1 with
    /// the message on stderr, then rethrown.
    /// </summary>
    public T Record<T, TFailure>(IReadOnlyList<string> argv, Func<T> ask, Func<T, string?> asText) where TFailure : Exception
    {
        var line = PosixQuote.Join(argv);
        T answer;
        try
        {
            answer = ask();
        }
        catch (TFailure e)
        {
            Write(line, CommandResult.Exited(1, [], Encoding.UTF8.GetBytes(e.Message)));
            throw;
        }
        Write(line, asText(answer) is { } text ? CommandResult.Exited(0, Encoding.UTF8.GetBytes(text), []) : CommandResult.Exited(1, [], []));
        return answer;
    }
}
