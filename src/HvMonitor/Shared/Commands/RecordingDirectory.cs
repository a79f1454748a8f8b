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
}
