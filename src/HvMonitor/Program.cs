namespace HvMonitor;

/// <summary>
/// One binary, two programs: <c>hv-monitor [flags]</c> is the LibreNMS collector (Collector/), and
/// <c>hv-monitor report ...</c> is the virt-who-style reporter (Reporter/). Both share Shared/.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "report")
            return Collector.CollectorProgram.Run(args, Console.OpenStandardOutput(), Console.Error);
        // Before Console is first used: .NET sets up its SIGINT handling then, and leaves a SIGINT that is
        // ignored at that moment (a background job of a script) ignored for good. The reporter always reacts to it.
        Shared.Platform.SignalDisposition.RestoreDefaultIfIgnored(Shared.Platform.SignalDisposition.SIGINT);
        // HV_MONITOR_TEST_TIMING, the one test hook, is read here only and passed down.
        return Reporter.ReporterProgram.Run(args[1..], Console.Out, Console.Error, Reporter.Sending.ReporterTiming.FromEnvironment());
    }
}
