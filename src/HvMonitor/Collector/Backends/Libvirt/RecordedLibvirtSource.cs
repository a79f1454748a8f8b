using System.Globalization;
using System.Text;
using HvMonitor.Collector.Model;
using HvMonitor.Shared.Commands;
using HvMonitor.Shared.Libvirt;
using HvMonitor.Shared.Text;

namespace HvMonitor.Collector.Backends.Libvirt;

/// <summary>
/// The command line each libvirt answer is recorded under, and the answer's text: what <c>virsh</c> prints for the same
/// request where virsh has one (<c>virsh -r domstats --raw ...</c>, <c>virsh -r dumpxml NAME</c>), otherwise a name
/// after the API call (<c>libvirt snapshot-count NAME</c>: the number; <c>libvirt network-bridge NETWORK</c>: the bridge,
/// exit 1 when there is none). A libvirt error is exit 1 with libvirt's message; a missing client library is
/// "could not be started".
/// </summary>
internal static class LibvirtRecordingLines
{
    public static readonly string[] DomStats = ["virsh", "-r", "domstats", "--raw", "--state", "--balloon", "--interface", "--block", "--nowait"];
    /// <summary>One domain asked again; a second answer to the same line is recorded after the first.</summary>
    public static string[] DomStatsOf(string domain) => [.. DomStats, domain];
    public static string[] DumpXml(string domain) => ["virsh", "-r", "dumpxml", domain];
    public static string[] SnapshotCount(string domain) => ["libvirt", "snapshot-count", domain];
    public static string[] NetworkBridge(string network) => ["libvirt", "network-bridge", network];
}

/// <summary>Asks <paramref name="inner"/> and writes every answer, failures too, into the recording.</summary>
public sealed class RecordingLibvirtSource(ILibvirtSource inner, RecordingDirectory recording) : ILibvirtSource
{
    /// <summary>
    /// The records as the replay will read them back from the recorded text, so that a recorded run and its replay
    /// report the same figures by construction.
    /// </summary>
    public IReadOnlyList<DomainStats> AllDomainStats()
    {
        var line = PosixQuote.Join(LibvirtRecordingLines.DomStats);
        IReadOnlyList<DomainStats> stats;
        try
        {
            stats = inner.AllDomainStats();
        }
        catch (BackendException e)
        {
            var message = Encoding.UTF8.GetBytes(e.Message);
            recording.Write(line, e.ErrorCode == ErrorCodes.BackendUnavailable
                ? new CommandResult(CommandOutcome.NotStarted, -1, [], message)
                : CommandResult.Exited(1, [], message));
            throw;
        }
        var text = DomstatsRawWriter.Write(stats);
        recording.Write(line, Ok(text));
        return DomstatsRawParser.Parse(text);
    }

    /// <summary>Read back from the recorded text, as <see cref="AllDomainStats"/>; a domain that is gone is recorded as no record.</summary>
    public DomainStats? DomainStatsAgain(string domain)
    {
        var text = Record(LibvirtRecordingLines.DomStatsOf(domain),
            () => inner.DomainStatsAgain(domain) is { } stats ? DomstatsRawWriter.Write([stats]) : "", t => t);
        return DomstatsRawParser.Parse(text).FirstOrDefault();
    }

    public string DomainXml(string domain) => Record(LibvirtRecordingLines.DumpXml(domain), () => inner.DomainXml(domain), xml => xml);

    public ulong SnapshotCount(string domain) =>
        Record(LibvirtRecordingLines.SnapshotCount(domain), () => inner.SnapshotCount(domain), n => n.ToString(CultureInfo.InvariantCulture) + "\n");

    public string? NetworkBridge(string network) =>
        Record(LibvirtRecordingLines.NetworkBridge(network), () => inner.NetworkBridge(network), bridge => bridge is null ? null : bridge + "\n");

    private T Record<T>(string[] argv, Func<T> ask, Func<T, string?> asText) => recording.Record<T, LibvirtException>(argv, ask, asText);

    private static CommandResult Ok(string text) => CommandResult.Exited(0, Encoding.UTF8.GetBytes(text), []);

    public void Dispose() => inner.Dispose();
}

/// <summary>
/// Answers from a recording: a call that failed when recorded fails again with the recorded message; a call the
/// recording lacks stops the run (<see cref="ReplayMissingException"/>): the recording does not match this program.
/// </summary>
public sealed class ReplayLibvirtSource(ReplayCommandRunner replay) : ILibvirtSource
{
    /// <summary>In-process answers take no time; the bound only names the timeout of a recorded <c># exit timeout</c>.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    public IReadOnlyList<DomainStats> AllDomainStats()
    {
        var result = replay.Run(new CommandRequest(LibvirtRecordingLines.DomStats, ProbeTimeout), CancellationToken.None);
        if (!result.Succeeded)
        {
            throw new BackendException(
                result.Outcome == CommandOutcome.NotStarted ? ErrorCodes.BackendUnavailable : ErrorCodes.BackendFailed,
                Utf8Text.Decode(result.Stderr, out _));
        }
        try
        {
            return DomstatsRawParser.Parse(result.StdoutText(out _));
        }
        catch (FormatException e)
        {
            throw new BackendException(ErrorCodes.BackendFailed, "the domain stats could not be read: " + e.Message, e);
        }
    }

    /// <summary>An answer that is not domstats text is a <see cref="FormatException"/>, as for a bad answer from libvirt.</summary>
    public DomainStats? DomainStatsAgain(string domain) =>
        DomstatsRawParser.Parse(Answer(LibvirtRecordingLines.DomStatsOf(domain))!).FirstOrDefault();

    public string DomainXml(string domain) => Answer(LibvirtRecordingLines.DumpXml(domain))!;

    /// <summary>A recorded count that is not a number is a <see cref="FormatException"/>, as a bad answer from libvirt would be.</summary>
    public ulong SnapshotCount(string domain) =>
        ulong.Parse(Answer(LibvirtRecordingLines.SnapshotCount(domain))!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    public string? NetworkBridge(string network) => Answer(LibvirtRecordingLines.NetworkBridge(network), failureWithoutMessageIsNone: true)?.Trim();

    private string? Answer(string[] argv, bool failureWithoutMessageIsNone = false)
    {
        var request = new CommandRequest(argv, ProbeTimeout);
        var result = replay.Run(request, CancellationToken.None);
        if (result.Succeeded)
            return result.StdoutText(out _);
        var message = Utf8Text.Decode(result.Stderr, out _);
        if (message.Length == 0 && failureWithoutMessageIsNone)
            return null;
        throw new LibvirtException(message.Length > 0 ? message : result.DescribeFailure(request));
    }

    public void Dispose()
    {
    }
}
