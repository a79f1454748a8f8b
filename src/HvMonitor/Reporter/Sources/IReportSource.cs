namespace HvMonitor.Reporter.Sources;

/// <summary>
/// One configuration section's source (type=libvirt local or remote, type=cbsd). Print mode, one-shot,
/// status and the daemon all use only this; the configuration loader creates one per valid section.
/// </summary>
public interface IReportSource
{
    /// <summary>The configuration section's name.</summary>
    string ConfigName { get; }

    /// <summary>One collection. Throws <see cref="ReportSourceException"/> with a clear message when the source cannot be read.</summary>
    SourceReport Collect(CancellationToken cancellation);

    /// <summary>
    /// Print mode (-p): the same report, except that a source may leave out what -p does not show (a
    /// local libvirt's host id, which costs a capabilities call). Defaults to <see cref="Collect"/>.
    /// </summary>
    SourceReport CollectForPrint(CancellationToken cancellation) => Collect(cancellation);

    /// <summary>Status mode (-s): connect and disconnect only; throws <see cref="ReportSourceException"/> on failure.</summary>
    void TestConnection(CancellationToken cancellation);

    /// <summary>The normalized connection shown by -s -j ("connection"): the rewritten URI, or null for local.</summary>
    string? Connection { get; }
}

/// <summary>A source that could not be read; the message is for the log and -s output, never carries secrets.</summary>
public sealed class ReportSourceException(string message, Exception? inner = null) : Exception(message, inner);
