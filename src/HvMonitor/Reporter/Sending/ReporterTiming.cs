using System.Globalization;

namespace HvMonitor.Reporter.Sending;

/// <summary>
/// Every wait of the reporter in one place, with virt-who's values (docs/virt-who-compatibility.md, "Candlepin requests", "Daemon", D7).
/// End-to-end tests shorten them through the program's one test hook (<see cref="Shared.TestHooks"/>, variable
/// HV_MONITOR_TEST_TIMING, e.g. <c>interval=2,jobpoll=0.2,throttle=1,debounce=0.2,eventgap=1</c>, seconds): only
/// <c>Program.Main</c> reads it and passes the parsed result down. Unit tests pass their own values and a hand-moved clock instead.
/// </summary>
public sealed record ReporterTiming
{
    /// <summary>Replaces the configured interval (which cannot go below 60 s) in tests.</summary>
    public TimeSpan? IntervalOverride { get; init; }
    /// <summary>Wait before a job is polled.</summary>
    public TimeSpan JobPollDelay { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Wait after a 429 without a usable Retry-After.</summary>
    public TimeSpan ThrottleDefault { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>D7: after a libvirt event, wait this long for more events before collecting.</summary>
    public TimeSpan EventDebounce { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>D7: at most one extra (event) send per destination in this time.</summary>
    public TimeSpan EventMinimumGap { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>D10: how long -o waits for its jobs.</summary>
    public TimeSpan OneShotJobTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>After SIGTERM, how long a request in flight may still finish.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(4);
    /// <summary>libvirt keep-alive check / reconnect attempt period for the event watcher.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Interval(TimeSpan configured) => IntervalOverride ?? configured;

    public static ReporterTiming Parse(string? text)
    {
        var timing = new ReporterTiming();
        if (string.IsNullOrWhiteSpace(text))
            return timing;
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=', 2);
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
                continue;
            var span = TimeSpan.FromSeconds(seconds);
            timing = parts[0] switch
            {
                "interval" => timing with { IntervalOverride = span },
                "jobpoll" => timing with { JobPollDelay = span },
                "throttle" => timing with { ThrottleDefault = span },
                "debounce" => timing with { EventDebounce = span },
                "eventgap" => timing with { EventMinimumGap = span },
                "jobtimeout" => timing with { OneShotJobTimeout = span },
                "reconnect" => timing with { ReconnectDelay = span },
                _ => timing,
            };
        }
        return timing;
    }
}
