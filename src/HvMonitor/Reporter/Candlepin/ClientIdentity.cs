namespace HvMonitor.Reporter.Candlepin;

/// <summary>
/// Who is calling, as the headers of every request say it (docs/virt-who-compatibility.md, "Connection and headers"; D9). The correlation
/// id belongs to one destination and lives until exit or SIGHUP (a new identity is made then).
/// </summary>
public sealed record ClientIdentity(string UserAgent, string CorrelationId, string SubscriptionManagerVersion, string AcceptLanguage)
{
    public static ClientIdentity Create() =>
        new(UserAgentFor(ProgramVersion), NewCorrelationId(), "unknown", AcceptLanguageFrom(Environment.GetEnvironmentVariable));

    public static string ProgramVersion { get; } =
        typeof(ClientIdentity).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";

    public static string UserAgentFor(string version) => $"RHSM/1.0 (cmd=hv-monitor) hv-monitor/{version}";

    /// <summary>uuid4 hex, 32 characters.</summary>
    public static string NewCorrelationId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// The locale as Accept-Language: LC_ALL, LC_MESSAGES, then LANG; encoding and modifier dropped,
    /// lower case, '_' → '-'. C and POSIX (and nothing) count as en_US, as in Python.
    /// </summary>
    public static string AcceptLanguageFrom(Func<string, string?> environment)
    {
        var locale = new[] { "LC_ALL", "LC_MESSAGES", "LANG" }.Select(environment).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "C";
        int cut = locale.IndexOfAny(['.', '@']);
        if (cut >= 0)
            locale = locale[..cut];
        if (locale is "" or "C" or "POSIX")
            locale = "en_US";
        return locale.ToLowerInvariant().Replace('_', '-');
    }
}
