using System.Text;
using HvMonitor.App;
using HvMonitor.Backends;
using HvMonitor.Cli;
using HvMonitor.Model;
using HvMonitor.Output;

namespace HvMonitor;

public static class Program
{
    public const int ExitOk = 0;
    public const int ExitEnvelopeError = 1;
    public const int ExitUsage = 2;

    public static int Main(string[] args) => Run(args, Console.OpenStandardOutput(), Console.Error);

    public static int Run(IReadOnlyList<string> args, Stream stdout, TextWriter stderr)
    {
        CliOptions options;
        try
        {
            options = ArgumentParser.Parse(args);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"hv-monitor: {e.Message}");
            stderr.WriteLine("Try 'hv-monitor --help' for more information.");
            // Still a valid envelope on stdout: whoever polls us sees the reason, not a parse error.
            var envelope = new Envelope { Error = ErrorCodes.Usage, ErrorString = "usage error: " + e.Message };
            WriteLine(stdout, ReportSerializer.ToUtf8Json(envelope));
            return ExitUsage;
        }

        switch (options.Action)
        {
            case CliAction.Help:
                WriteLine(stdout, Encoding.UTF8.GetBytes(HelpText.Usage.TrimEnd()));
                return ExitOk;
            case CliAction.Version:
                WriteLine(stdout, Encoding.UTF8.GetBytes("hv-monitor " + HelpText.Version));
                return ExitOk;
        }

        var result = Collector.Run(options.Backend, new BackendSettings(options.Uri, options.ProcRoot), options.Timeout);
        foreach (var warning in result.Warnings)
            stderr.WriteLine($"hv-monitor: warning: {warning}");
        return Emit(result.Envelope, options, stdout, stderr);
    }

    /// <summary>Prints and/or writes the envelope as the flags ask; a failed write becomes the envelope's error.</summary>
    private static int Emit(Envelope envelope, CliOptions options, Stream stdout, TextWriter stderr)
    {
        var json = ReportSerializer.ToUtf8Json(envelope, options.Pretty);
        if (options.Write)
        {
            try
            {
                AtomicFile.Write(options.OutputBase, json);
                AtomicFile.Write(options.OutputBase + ".snmp", Encoding.ASCII.GetBytes(SnmpCompression.GzipBase64(json) + "\n"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"hv-monitor: cannot write {options.OutputBase}: {e.Message}");
                envelope = new Envelope
                {
                    Error = ErrorCodes.BackendFailed,
                    ErrorString = $"cannot write {options.OutputBase}: {e.Message}",
                    Data = envelope.Data,
                };
                json = ReportSerializer.ToUtf8Json(envelope, options.Pretty);
            }
        }
        if (!options.Quiet)
            WriteLine(stdout, options.Compress ? Encoding.ASCII.GetBytes(SnmpCompression.GzipBase64(json)) : json);
        return envelope.Error == ErrorCodes.None ? ExitOk : ExitEnvelopeError;
    }

    private static void WriteLine(Stream stdout, byte[] bytes)
    {
        stdout.Write(bytes);
        stdout.WriteByte((byte)'\n');
        stdout.Flush();
    }
}
