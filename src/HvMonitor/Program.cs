namespace HvMonitor;

/// <summary>
/// One binary, two programs: <c>hv-monitor [flags]</c> is the LibreNMS collector (Collector/), and
/// <c>hv-monitor report ...</c> is the virt-who-style reporter (Reporter/), <c>hv-monitor exporter ...</c> the
/// Prometheus exporter (Exporter/). All share Shared/. The end-to-end tests' one hook
/// (<see cref="Shared.TestHooks"/>) is read here, once.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // The end-to-end tests' one door into the binary, read here only and passed down.
        var hooks = Shared.TestHooks.FromEnvironment();
        string command = args.Length > 0 ? args[0] : "";
        if (command == "exporter")
            return Exporter.ExporterProgram.Run(args[1..], Console.Out, Console.Error, hooks);
        if (command != "report")
            return Collector.CollectorProgram.Run(args, Console.OpenStandardOutput(), Console.Error, hooks);
        // Before Console is first used: .NET sets up its SIGINT handling then, and leaves a SIGINT that is
        // ignored at that moment (a background job of a script) ignored for good. The reporter always reacts to it.
        Shared.Platform.SignalDisposition.RestoreDefaultIfIgnored(Shared.Platform.SignalDisposition.SIGINT);
        return Reporter.ReporterProgram.Run(args[1..], Console.Out, Console.Error, Reporter.Sending.ReporterTiming.Parse(hooks.ReporterTiming));
    }
}
