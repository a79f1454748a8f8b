using System.Text;
using HvMonitor.Collector.App;
using HvMonitor.Collector.Backends;
using HvMonitor.Collector.Cli;
using HvMonitor.Collector.Model;
using HvMonitor.Collector.Output;
using HvMonitor.Shared;
using HvMonitor.Shared.Platform;

namespace HvMonitor.Collector;

/// <summary>The collector: <c>hv-monitor [flags]</c>, LibreNMS's JSON application format on stdout and in files.</summary>
public static class CollectorProgram
{
    public const int ExitOk = 0;
    /// <summary>Nothing usable (the envelope's error ≠ 0), or the files -w asks for could not be written.</summary>
    public const int ExitEnvelopeError = 1;
    public const int ExitUsage = 2;
    /// <summary>
    /// The output is usable (error 0) but incomplete: a VM, or some figures of a VM, could not be collected;
    /// errorString and the warnings say what. Non-zero so that cron mails it.
    /// </summary>
    public const int ExitIncomplete = 3;

    /// <summary><paramref name="hooks"/>: the end-to-end tests' hook, read once by <see cref="Program"/>; none when null.</summary>
    public static int Run(IReadOnlyList<string> args, Stream stdout, TextWriter stderr, TestHooks? hooks = null)
    {
        // Decided before parsing, so that even a usage error in serve mode stays off stderr.
        bool serve = args.Any(a => a == "--cache-ttl" || a.StartsWith("--cache-ttl=", StringComparison.Ordinal));
        var log = new OperatorLog(serve ? null : stderr);
        try
        {
            return RunParsed(args, stdout, log, hooks ?? TestHooks.None);
        }
        catch (Exception e)
        {
            // Last line of defence: whoever polls us still gets an envelope that says what went wrong.
            log.Error($"internal error: {e}");
            byte[] envelope;
            try
            {
                envelope = LibreNmsSerializer.ToUtf8Json(new Envelope
                {
                    Error = ErrorCodes.BackendFailed,
                    ErrorString = log.Redact($"hv-monitor internal error: {e.GetType().Name}: {e.Message}"),
                });
            }
            catch (Exception)
            {
                // Even the serializer failed: a fixed envelope, rather than a crash on stderr (snmpd's output).
                envelope = "{\"version\":1,\"error\":2,\"errorString\":\"hv-monitor internal error\",\"data\":{}}"u8.ToArray();
            }
            PrintLine(stdout, envelope);
            return ExitEnvelopeError;
        }
    }

    private static int RunParsed(IReadOnlyList<string> args, Stream stdout, OperatorLog log, TestHooks hooks)
    {
        CliOptions options;
        try
        {
            options = ArgumentParser.Parse(args);
        }
        catch (UsageException e)
        {
            log.Error(e.Message + " (try 'hv-monitor --help')");
            // Still a valid envelope on stdout: whoever polls us sees the reason, not a parse error.
            PrintLine(stdout, LibreNmsSerializer.ToUtf8Json(new Envelope { Error = ErrorCodes.Usage, ErrorString = "usage error: " + e.Message }));
            return ExitUsage;
        }
        log.AppendTo(options.LogFile);
        log.MaskCredentialsOf(options.Uri ?? Shared.Libvirt.LibvirtConnection.DefaultUri);

        switch (options.Action)
        {
            case CliAction.Help:
                PrintLine(stdout, Encoding.UTF8.GetBytes(HelpText.Usage.TrimEnd()));
                return ExitOk;
            case CliAction.Version:
                PrintLine(stdout, Encoding.UTF8.GetBytes("hv-monitor " + HelpText.Version));
                return ExitOk;
        }
        return options.ServeMode ? ServeFromCache(options, stdout, log, hooks) : CollectAndEmit(options, stdout, log, hooks);
    }

    private static int CollectAndEmit(CliOptions options, Stream stdout, OperatorLog log, TestHooks hooks)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = CollectionRun.Run(options.Backend, options.ToBackendSettings(hooks), options.Timeout);
        log.Info($"collected {result.Envelope.Data.VMs.Count} VM(s) in {clock.Elapsed.TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)} s");
        foreach (var warning in result.Warnings)
            log.Warn(warning);
        if (result.Envelope.Error != ErrorCodes.None)
            log.Error(result.Envelope.ErrorString);
        var envelope = result.Envelope;
        // Whoever polls us gets the same text as the log, credentials masked, and hears of a log that is lost.
        var errorString = log.Redact(envelope.ErrorString);
        if (log.Problem is { } problem)
            errorString = errorString.Length == 0 ? "warning: " + problem : errorString + "; also " + problem;
        if (errorString != envelope.ErrorString)
            envelope = new Envelope { Error = envelope.Error, ErrorString = errorString, Data = envelope.Data };
        var (bytes, written) = options.Format == OutputFormat.Prometheus
            ? Output.Prometheus.TextfileOutput.Emit(result with { Envelope = envelope }, clock.Elapsed, options, log)
            : Emit(envelope, options, log);
        if (!options.Quiet)
            PrintLine(stdout, bytes);
        if (envelope.Error != ErrorCodes.None || !written)
            return ExitEnvelopeError;
        // A lost log is a warning (3), as the envelope's errorString says: runs serving this envelope exit alike.
        return result.Complete && log.Problem is null ? ExitOk : ExitIncomplete;
    }

    /// <summary>
    /// Serve mode (snmpd runs us directly): print the cache if it is fresh; otherwise one run, under a
    /// lock, collects and rewrites it while concurrent runs wait for that and print the result.
    /// </summary>
    private static int ServeFromCache(CliOptions options, Stream stdout, OperatorLog log, TestHooks hooks)
    {
        options = options with { Write = true };
        var cached = OutputCache.ReadIfFresh(options);
        if (cached is not null)
            return Serve(cached, options, stdout);
        using var cacheLock = TakeCacheLock(options, log);
        cached = OutputCache.ReadIfFresh(options);
        if (cached is not null)
            return Serve(cached, options, stdout);
        return CollectAndEmit(options, stdout, log, hooks);
    }

    /// <summary>Prints a cached report with the exit status its collection had: every run serving it agrees.</summary>
    private static int Serve(byte[] cached, CliOptions options, Stream stdout)
    {
        stdout.Write(cached);
        stdout.Flush();
        return OutputCache.ExitCodeOf(cached, options.Compress);
    }

    /// <summary>The serve-mode lock, or null (logged) when it cannot be had: then this run collects without it.</summary>
    private static FileLock? TakeCacheLock(CliOptions options, OperatorLog log)
    {
        try
        {
            // Wait for a concurrent collector a little longer than it may itself take.
            var cacheLock = FileLock.TryAcquire(options.OutputBase + ".lock", options.Timeout + TimeSpan.FromSeconds(5));
            if (cacheLock is null)
                log.Warn($"{options.OutputBase}.lock is still held after {options.Timeout.TotalSeconds + 5:0} s; collecting without it");
            return cacheLock;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache directory is missing or not writable (snmpd's user must own it): collect anyway, so
            // that the poller gets the data and, from the failed cache write, an error naming the path.
            log.Warn($"cannot take {options.OutputBase}.lock: {e.Message}; collecting without it");
            return null;
        }
    }

    /// <summary>
    /// Writes the files -w asks for; returns what to print and whether the files were written. A failed
    /// write is named in errorString, but the error code stays the collection's: the data is still usable,
    /// and LibreNMS would throw it away for error ≠ 0.
    /// </summary>
    private static (byte[] Printed, bool Written) Emit(Envelope envelope, CliOptions options, OperatorLog log)
    {
        var json = LibreNmsSerializer.ToUtf8Json(envelope, options.Pretty);
        // Compressing costs a few milliseconds: only when a compressed form is asked for, and once.
        byte[]? snmp = null;
        byte[] Snmp() => snmp ??= Encoding.ASCII.GetBytes(SnmpCompression.GzipBase64(json));
        bool written = true;
        if (options.Write)
        {
            string[] targets = [options.OutputBase, options.OutputBase + ".snmp"];
            string current = targets[0];
            try
            {
                // Both targets are checked before either is written: a refused one leaves nothing written.
                foreach (var target in targets)
                {
                    current = target;
                    AtomicFile.CheckTarget(target);
                }
                current = targets[0];
                AtomicFile.Write(current, [.. json, (byte)'\n']);
                current = targets[1];
                AtomicFile.Write(current, [.. Snmp(), (byte)'\n']);
                OutputSize.WarnIfTooLarge(Snmp().Length + 1, current, compressed: true, log);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var message = $"cannot write {current}: {e.Message}";
                log.Error(message);
                written = false;
                var errorString = envelope.ErrorString.Length == 0 ? message : message + "; " + envelope.ErrorString;
                envelope = new Envelope { Error = envelope.Error, ErrorString = errorString, Data = envelope.Data };
                json = LibreNmsSerializer.ToUtf8Json(envelope, options.Pretty);
                snmp = null;
            }
        }
        var printed = options.Compress ? Snmp() : json;
        // Check what is printed when that is what gets served: a plain run, or serve mode without -c (snmpd
        // serves our stdout). With -w the .snmp file was checked above, and -c prints that same text.
        if (!options.Quiet && (!options.Write || (options.ServeMode && !options.Compress)))
            OutputSize.WarnIfTooLarge(printed.Length + 1, "the output", options.Compress, log);
        return (printed, written);
    }

    private static void PrintLine(Stream stdout, byte[] bytes)
    {
        stdout.Write(bytes);
        stdout.WriteByte((byte)'\n');
        stdout.Flush();
    }
}
