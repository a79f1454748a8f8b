using HvMonitor.Collector.App;
using HvMonitor.Collector.Cli;

namespace HvMonitor.Collector.Output.Prometheus;

/// <summary>
/// <c>--format prometheus</c>: the collection as exposition text on stdout and, with <c>-w</c>, in the one
/// .prom file <c>-o</c> names, replaced atomically (node_exporter's textfile collector must never read half
/// a file; the temporary file is a dot file ending in .tmp, which it ignores).
/// </summary>
public static class TextfileOutput
{
    public static (byte[] Printed, bool Written) Emit(CollectionResult result, TimeSpan duration, CliOptions options, OperatorLog log)
    {
        var text = PrometheusMetrics.Render(PrometheusCollection.From(result, duration), HelpText.Version);
        if (!options.Write)
            return (TrimFinalNewline(text), true);
        try
        {
            AtomicFile.Write(options.OutputBase, text);
            return (TrimFinalNewline(text), true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error($"cannot write {options.OutputBase}: {e.Message}");
            return (TrimFinalNewline(text), false);
        }
    }

    /// <summary>The caller prints a line feed after what it prints; the text already ends in one.</summary>
    private static byte[] TrimFinalNewline(byte[] text) => text.Length > 0 && text[^1] == (byte)'\n' ? text[..^1] : text;
}
