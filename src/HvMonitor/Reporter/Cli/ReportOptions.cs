namespace HvMonitor.Reporter.Cli;

public enum ReportAction { Run, Help, Version, EncryptPassword, EncryptPasswordHelp }

/// <summary>The parsed <c>hv-monitor report …</c> command line (docs/virt-who-compatibility.md, "Command line"), before [global] is merged in.</summary>
public sealed record ReportOptions
{
    public ReportAction Action { get; init; } = ReportAction.Run;
    public bool Debug { get; init; }
    public bool OneShot { get; init; }
    public bool Print { get; init; }
    public bool Status { get; init; }
    public bool Json { get; init; }
    /// <summary>The -i text as given (validated when merged: not an int or below 60 gives 3600 and a warning).</summary>
    public string? Interval { get; init; }
    public IReadOnlyList<string> Configs { get; init; } = [];
    public string Sysroot { get; init; } = "/";
    public bool SysrootGiven { get; init; }
    /// <summary>--record DIR: type=cbsd commands run on this host and are written to DIR.</summary>
    public string? RecordDirectory { get; init; }
    /// <summary>--replay DIR: type=cbsd commands are answered from a recording instead of this host.</summary>
    public string? ReplayDirectory { get; init; }
    /// <summary>encrypt-password -p: the password; null means prompt.</summary>
    public string? PasswordToEncrypt { get; init; }
}

/// <summary>A command-line error: argparse's "usage: …" + "hv-monitor report: error: …", exit 2.</summary>
public sealed class ReportUsageException(string message, bool encryptPassword = false) : Exception(message)
{
    public bool EncryptPassword { get; } = encryptPassword;
}
