using System.Globalization;
using HvMonitor.Collector.Backends;

namespace HvMonitor.Collector.Cli;

/// <summary>
/// Parses the Perl hv_monitor's flags (short flags bundle: <c>-cw</c>, <c>-cwo FILE</c>) plus our long ones.
/// Hand-written rather than CommandLineParser: that library binds options by reflection, which trimming
/// breaks and which costs start-up time on every snmpd call, and it cannot express "-q needs -w".
/// </summary>
public static class ArgumentParser
{
    private sealed record Flag(char? Short, string Long, bool TakesValue);

    private static readonly Flag[] Flags =
    [
        new('b', "backend", true),
        new('c', "compress", false),
        new('w', "write", false),
        new('o', "output", true),
        new('q', "quiet", false),
        new('v', "version", false),
        new('h', "help", false),
        new(null, "uri", true),
        new(null, "pretty", false),
        new(null, "timeout", true),
        new(null, "cache-ttl", true),
        new(null, "log", true),
        new(null, "proc-root", true),
        new(null, "cbsd-path", true),
        new(null, "record", true),
        new(null, "replay", true),
        new(null, "format", true),
    ];

    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CliOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                if (i + 1 < args.Count)
                    throw new UsageException($"unexpected argument '{args[i + 1]}'");
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                string name = arg[2..];
                string? inlineValue = null;
                int eq = name.IndexOf('=');
                if (eq >= 0)
                {
                    inlineValue = name[(eq + 1)..];
                    name = name[..eq];
                }
                var flag = Flags.FirstOrDefault(f => f.Long == name)
                           ?? throw new UsageException($"unknown option '--{name}'");
                if (!flag.TakesValue && inlineValue is not null)
                    throw new UsageException($"option '--{name}' takes no value");
                string? value = flag.TakesValue ? inlineValue ?? NextValue(args, ref i, "--" + name) : null;
                options = Apply(options, flag, value);
            }
            else if (arg.Length > 1 && arg[0] == '-')
            {
                // A bundle: every letter is a switch, except that a letter taking a value consumes the
                // rest of the bundle or, if it is last, the next argument (getopt's rules).
                for (int j = 1; j < arg.Length; j++)
                {
                    var flag = Flags.FirstOrDefault(f => f.Short == arg[j])
                               ?? throw new UsageException($"unknown option '-{arg[j]}'");
                    string? value = null;
                    if (flag.TakesValue)
                    {
                        value = j + 1 < arg.Length ? arg[(j + 1)..] : NextValue(args, ref i, "-" + arg[j]);
                        options = Apply(options, flag, value);
                        break;
                    }
                    options = Apply(options, flag, value);
                }
            }
            else
            {
                throw new UsageException($"unexpected argument '{arg}'");
            }
        }

        if (options.Action == CliAction.Collect && options.Quiet && !options.Write)
            throw new UsageException("-q only makes sense with -w: without -w nothing would be written or printed");
        if (options.RecordDirectory is not null && options.ReplayDirectory is not null)
            throw new UsageException("--record and --replay cannot be combined: a replay asks the recording, not the host");
        if (options.ServeMode && options.Quiet)
            throw new UsageException("--cache-ttl prints the report for snmpd: it cannot be combined with -q");
        if (options.Format == OutputFormat.Prometheus)
            CheckPrometheus(options);
        return options;
    }

    /// <summary>The textfile collector reads only *.prom files, and the JSON-only switches mean nothing here.</summary>
    private static void CheckPrometheus(CliOptions options)
    {
        if (options.Compress || options.ServeMode || options.Pretty)
            throw new UsageException("--format prometheus cannot be combined with -c, --cache-ttl or --pretty (they shape the LibreNMS JSON)");
        if (options.Write && !options.OutputBase.EndsWith(".prom", StringComparison.Ordinal))
            throw new UsageException($"--format prometheus -w writes a file for node_exporter's textfile collector, which reads only *.prom files: give -o DIR/hv_monitor.prom, not '{options.OutputBase}'");
    }

    private static string NextValue(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count)
            throw new UsageException($"option '{option}' needs a value");
        return args[++i];
    }

    private static CliOptions Apply(CliOptions o, Flag flag, string? value) => flag.Long switch
    {
        "backend" => o with { Backend = ParseBackend(value!) },
        "compress" => o with { Compress = true },
        "write" => o with { Write = true },
        "output" => o with { OutputBase = value!.Length > 0 ? value : throw new UsageException("-o needs a non-empty path") },
        "quiet" => o with { Quiet = true },
        // Help wins over version, and both win over collecting, whatever the order.
        "version" => o with { Action = o.Action == CliAction.Help ? CliAction.Help : CliAction.Version },
        "help" => o with { Action = CliAction.Help },
        "uri" => o with { Uri = value!.Length > 0 ? value : throw new UsageException("--uri needs a non-empty URI") },
        "pretty" => o with { Pretty = true },
        "timeout" => o with { Timeout = ParseSeconds(value!, "--timeout") },
        "cache-ttl" => o with { CacheTtl = ParseSeconds(value!, "--cache-ttl") },
        "log" => o with { LogFile = value!.Length > 0 ? value : throw new UsageException("--log needs a non-empty path") },
        "proc-root" => o with { ProcRoot = value! },
        "cbsd-path" => o with { CbsdPath = value!.Length > 0 ? value : throw new UsageException("--cbsd-path needs a non-empty path") },
        "record" => o with { RecordDirectory = value!.Length > 0 ? value : throw new UsageException("--record needs a directory") },
        "replay" => o with { ReplayDirectory = value!.Length > 0 ? value : throw new UsageException("--replay needs a directory") },
        "format" => o with { Format = ParseFormat(value!) },
        _ => throw new InvalidOperationException(flag.Long),
    };

    private static BackendKind ParseBackend(string value)
    {
        if (value.Equals("libvirt", StringComparison.OrdinalIgnoreCase))
            return BackendKind.Libvirt;
        if (value.Equals("cbsd", StringComparison.OrdinalIgnoreCase))
            return BackendKind.Cbsd;
        throw new UsageException($"unknown backend '{value}': use Libvirt or CBSD");
    }

    private static OutputFormat ParseFormat(string value) => value switch
    {
        "librenms" or "json" => OutputFormat.LibreNms,
        "prometheus" => OutputFormat.Prometheus,
        _ => throw new UsageException($"unknown format '{value}': use librenms (the default) or prometheus"),
    };

    /// <summary>A value quoted in a message, cut to a readable length.</summary>
    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";

    private static TimeSpan ParseSeconds(string value, string option)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 86400)
            return TimeSpan.FromSeconds(seconds);
        // 0 is refused: a run with no time at all could only ever report a time-out.
        throw new UsageException($"{option} takes a number of seconds above 0 and at most 86400 (one day), e.g. 30 or 0.5, not '{Shorten(value)}'");
    }
}
