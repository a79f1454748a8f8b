namespace HvMonitor.Shared;

/// <summary>
/// The exit statuses every program of the binary gives the same meaning; each program adds its own beside them
/// (the collector's 3 "incomplete", the reporter's 64 for virt-who's refused flag combinations).
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The program ran and failed (nothing usable, a destination or a listener that could not be had).</summary>
    public const int Failure = 1;
    /// <summary>A command line the program cannot act on, as getopt-based tools.</summary>
    public const int Usage = 2;
}
