namespace HvMonitor.Collector.Output;

/// <summary>
/// Replaces a file so that a reader (snmpd's cat) sees either the old content or the new, never a
/// mix: write a temporary file in the same directory, fsync it, then rename it over the target.
/// A failure leaves the old file as it was and no temporary file behind.
/// </summary>
public static class AtomicFile
{
    public const UnixFileMode WorldReadable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        var temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, new FileStreamOptions
                   {
                       Mode = FileMode.CreateNew,
                       Access = FileAccess.Write,
                       UnixCreateMode = WorldReadable,
                   }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            // The create mode is filtered by the umask; snmpd's user must be able to read the file.
            File.SetUnixFileMode(temp, WorldReadable);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more we can do; the original error is what the user needs to see.
        }
    }
}
