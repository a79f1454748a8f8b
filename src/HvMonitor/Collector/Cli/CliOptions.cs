using HvMonitor.Collector.Backends;
using HvMonitor.Shared;

namespace HvMonitor.Collector.Cli;

public enum CliAction
{
    Collect,
    Help,
    Version,
}

public enum OutputFormat
{
    /// <summary>LibreNMS's JSON application format (the default).</summary>
    LibreNms,
    /// <summary>Prometheus's text exposition format 0.0.4 (docs/prometheus.md).</summary>
    Prometheus,
}

/// <summary>Everything the command line can say. Defaults are the documented ones.</summary>
public sealed record CliOptions
{
    public const string DefaultOutputBase = "/var/cache/hv_monitor.json";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public CliAction Action { get; init; } = CliAction.Collect;
    public BackendKind Backend { get; init; } = BackendRegistry.DefaultForThisOs;
    public bool Compress { get; init; }
    public bool Write { get; init; }
    public string OutputBase { get; init; } = DefaultOutputBase;
    public bool Quiet { get; init; }
    public bool Pretty { get; init; }
    /// <summary>null: LIBVIRT_DEFAULT_URI, else qemu:///system.</summary>
    public string? Uri { get; init; }
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
    /// <summary>Serve mode: print the cache if younger than this, else collect, write it and print it.</summary>
    public TimeSpan? CacheTtl { get; init; }
    /// <summary>Warnings and errors are appended here (the only place they go in serve mode).</summary>
    public string? LogFile { get; init; }
    public bool ServeMode => CacheTtl is not null;
    /// <summary>Where /proc is; a fixture tree in tests.</summary>
    public string ProcRoot { get; init; } = "/proc";
    /// <summary>Where CBSD's command is; null: /usr/local/bin/cbsd.</summary>
    public string? CbsdPath { get; init; }
    /// <summary>Write every probe's answer (command output, libvirt call, /proc file) into this directory.</summary>
    public string? RecordDirectory { get; init; }
    /// <summary>Answer every probe from a directory written by --record instead of asking the host.</summary>
    public string? ReplayDirectory { get; init; }
    public OutputFormat Format { get; init; } = OutputFormat.LibreNms;

    /// <summary>What the backend needs of these options.</summary>
    public BackendSettings ToBackendSettings(TestHooks hooks) => new(Uri, ProcRoot)
    {
        CbsdPath = CbsdPath,
        // Half the run's budget: one hanging command (a suspended ZFS pool) is killed with time left for the rest.
        CommandTimeout = Timeout / 2,
        RecordDirectory = RecordDirectory,
        ReplayDirectory = ReplayDirectory,
        VcpuStats = Format == OutputFormat.Prometheus,
        TestHooks = hooks,
    };
}

/// <summary>A command line we cannot act on. Exit code 2, like getopt-based tools.</summary>
public sealed class UsageException(string message) : Exception(message);
