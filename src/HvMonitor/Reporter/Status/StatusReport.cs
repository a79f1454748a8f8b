namespace HvMonitor.Reporter.Status;

/// <summary>One side (source or destination) of a configuration's status: message only on failure.</summary>
public sealed record StatusSide(string? Connection, string? Message)
{
    public bool Success => Message is null;
}

/// <summary>What -s found for one configuration section, with run_data.json's last successes.</summary>
public sealed record ConfigurationStatus(
    string Name,
    StatusSide Source,
    string? LastSuccessfulRetrieve,
    long? Hypervisors,
    long? Guests,
    StatusSide Destination,
    string? LastSuccessfulSend,
    string? LastJobStatus);
