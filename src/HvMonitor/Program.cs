namespace HvMonitor;

/// <summary>
/// One binary, two programs: <c>hv-monitor [flags]</c> is the LibreNMS collector (Collector/), and
/// <c>hv-monitor report ...</c> is the virt-who-style reporter (Reporter/), <c>hv-monitor exporter ...</c> the
/// Prometheus exporter (Exporter/). All share Shared/.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => args.Length > 0 && args[0] == "report"
        ? Reporter.ReporterProgram.Run(args[1..], Console.Out, Console.Error)
        : args.Length > 0 && args[0] == "exporter"
            ? Exporter.ExporterProgram.Run(args[1..], Console.Out, Console.Error)
            : Collector.CollectorProgram.Run(args, Console.OpenStandardOutput(), Console.Error);
}
