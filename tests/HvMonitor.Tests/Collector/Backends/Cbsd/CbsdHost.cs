using System.Text;
using HvMonitor.Collector.Backends;
using HvMonitor.Collector.Backends.Cbsd;
using HvMonitor.Collector.Model;
using HvMonitor.Shared.Commands;

namespace HvMonitor.Tests.Collector.Backends.Cbsd;

/// <summary>
/// A recorded CBSD host in a temporary directory, started from one of samples/cbsd and changed probe by probe,
/// then collected by the real backend over the real replay runner. Notes which probes the backend asked.
/// </summary>
public sealed class CbsdHost : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hvm-cbsd-").FullName;

    public CbsdHost(string sample = "freebsd13-colour")
    {
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Sample("cbsd", sample), "*.txt"))
            File.Copy(file, Path.Combine(_dir, Path.GetFileName(file)));
    }

    public List<string> Asked { get; } = [];

    /// <summary>Replaces (or adds) the recorded answer to <paramref name="argv"/>.</summary>
    public CbsdHost Answer(string[] argv, string stdout, int exit = 0, string stderr = "") =>
        Answer(argv, CommandResult.Exited(exit, Encoding.UTF8.GetBytes(stdout), Encoding.UTF8.GetBytes(stderr)));

    public CbsdHost Answer(string[] argv, CommandResult result)
    {
        string line = PosixQuote.Join(argv);
        foreach (var file in Directory.EnumerateFiles(_dir))
        {
            if (File.ReadLines(file).First() == "$ " + line)
                File.Delete(file);
        }
        File.WriteAllBytes(Path.Combine(_dir, RecordingFile.FileNameFor(line, 1)), RecordingFile.Format(line, result));
        return this;
    }

    public string Stdout(string[] argv)
    {
        string line = "$ " + PosixQuote.Join(argv);
        var file = Directory.EnumerateFiles(_dir).Single(f => File.ReadLines(f).First() == line);
        return Encoding.UTF8.GetString(RecordingFile.Parse(File.ReadAllBytes(file), file).Result.Stdout);
    }

    public (HvData Data, IReadOnlyList<string> Warnings) Collect()
    {
        var sink = new CollectionSink();
        new CbsdBackend(new NotingRunner(new ReplayCommandRunner(_dir), Asked), TimeSpan.FromSeconds(5)).Collect(sink, default);
        return (HvDataBuilder.Build(CbsdBackend.HvName, sink.Vms), sink.Warnings);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private sealed class NotingRunner(ICommandRunner inner, List<string> asked) : ICommandRunner
    {
        public CommandResult Run(CommandRequest request, CancellationToken cancellation)
        {
            lock (asked)
                asked.Add(request.DisplayLine);
            return inner.Run(request, cancellation);
        }
    }
}
