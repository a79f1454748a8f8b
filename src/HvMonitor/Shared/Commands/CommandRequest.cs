namespace HvMonitor.Shared.Commands;

/// <summary>
/// One external command (or in-process probe) to run: an argv array, never a shell line. <c>Argv[0]</c> is a
/// logical program name (<c>cbsd</c>, <c>ps</c>, ...) that the runner maps to a location, so recordings do not
/// depend on where a host keeps its tools.
/// </summary>
public sealed record CommandRequest
{
    public CommandRequest(IReadOnlyList<string> argv, TimeSpan timeout)
    {
        if (argv.Count == 0 || argv[0].Length == 0)
            throw new ArgumentException("a command needs at least a program name", nameof(argv));
        Argv = argv;
        Timeout = timeout;
    }

    public IReadOnlyList<string> Argv { get; }

    /// <summary>How long the command may run before it (and everything it started) is killed.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Extra environment variables for this command (e.g. CBSD's NOCOLOR=1).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The argv as a POSIX shell would need it typed: what recordings and messages show.</summary>
    public string DisplayLine => PosixQuote.Join(Argv);
}
