using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace HvMonitor.Reporter.Candlepin;

public enum CandlepinFailure
{
    /// <summary>429: retry after <see cref="CandlepinException.RetryAfter"/> (30 s when the server gave none).</summary>
    Throttled,
    /// <summary>410: the consumer no longer exists.</summary>
    Gone,
    /// <summary>Any other non-2xx answer.</summary>
    HttpStatus,
    /// <summary>The server closed the connection or answered garbage.</summary>
    Interrupted,
    /// <summary>Refused, unreachable, unknown host, proxy refused the tunnel.</summary>
    Connection,
    Timeout,
    /// <summary>The server's certificate was not trusted (docs/virt-who-compatibility.md, D1), or ours was refused.</summary>
    Tls,
    /// <summary>Our consumer certificate is missing or unreadable.</summary>
    NotRegistered,
    /// <summary>The ping answered, but not usable (result false).</summary>
    Unusable,
}

/// <summary>
/// A Candlepin call that failed, with virt-who's message for it (docs/virt-who-compatibility.md, "Errors and retries"). The message never
/// carries a secret. Every failure is retried by the daemon at its next cycle; none crashes it.
/// </summary>
public sealed class CandlepinException(CandlepinFailure failure, string message, int? statusCode = null, int? retryAfterSeconds = null, Exception? inner = null)
    : Exception(message, inner)
{
    public CandlepinFailure Failure { get; } = failure;
    public int? StatusCode { get; } = statusCode;
    /// <summary>The Retry-After header of a 429 in seconds, or null when missing or not an integer.</summary>
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;

    /// <summary>
    /// For a failed TCP connection, the text Python's socket error prints (<c>[Errno 111] Connection refused</c>),
    /// which virt-who's status shows; null otherwise.
    /// </summary>
    public string? PythonSocketText { get; init; }

    /// <summary>virt-who waits Retry-After, else 30 s.</summary>
    public TimeSpan RetryAfter(TimeSpan whenMissing) => RetryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : whenMissing;

    /// <summary>A refused, unreachable or unresolvable connection to <paramref name="where"/> (host:port).</summary>
    public static CandlepinException ConnectionFailed(string where, SocketException socket, Exception inner) =>
        new(CandlepinFailure.Connection, $"Unable to connect to {where}: {SocketText(socket)}", inner: inner) { PythonSocketText = PythonText(socket) };

    private static string SocketText(SocketException s) => s.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "Connection refused",
        SocketError.HostNotFound or SocketError.NoData => "Name or service not known",
        SocketError.TryAgain => "Temporary failure in name resolution",
        SocketError.TimedOut => "Connection timed out",
        SocketError.NetworkUnreachable => "Network is unreachable",
        SocketError.HostUnreachable => "No route to host",
        _ => s.Message,
    };

    /// <summary>Python's <c>str(OSError)</c>: the errno (the platform's, e.g. 111 on Linux) and strerror; gaierror's negative codes for names.</summary>
    private static string PythonText(SocketException s) => s.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.NoData => "[Errno -2] Name or service not known",
        SocketError.TryAgain => "[Errno -3] Temporary failure in name resolution",
        _ => $"[Errno {s.NativeErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture)}] {SocketText(s)}",
    };

    /// <summary>Maps a non-2xx answer the way rhsm.connection and virt-who word it.</summary>
    public static CandlepinException FromResponse(string method, string path, HttpStatusCode status, string? reason, string body, string? retryAfter)
    {
        int code = (int)status;
        if (code == 429)
        {
            int? seconds = int.TryParse(retryAfter, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : null;
            return new CandlepinException(CandlepinFailure.Throttled, $"Server error attempting a {method} to {path} returned status 429 (rate limited, retry after {(seconds is { } v ? v + " s" : "an unspecified time")})", code, seconds);
        }
        var detail = JsonErrorText(body);
        if (detail is not null)
        {
            if (code == 410)
                return new CandlepinException(CandlepinFailure.Gone, "Communication with subscription manager failed: consumer no longer exists", code);
            return new CandlepinException(CandlepinFailure.HttpStatus,
                $"Communication with subscription manager failed with code {code}: HTTP error ({code} - {reason ?? status.ToString()}): {detail}", code);
        }
        return new CandlepinException(code == 410 ? CandlepinFailure.Gone : CandlepinFailure.HttpStatus,
            $"Server error attempting a {method} to {path} returned status {code}", code);
    }

    /// <summary>displayMessage, else the errors list joined; null when the body is not a JSON object.</summary>
    private static string? JsonErrorText(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return null;
            if (root.TryGetProperty("displayMessage", out var m) && m.ValueKind == JsonValueKind.String)
                return m.GetString() ?? "";
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                return string.Join(" ", errors.EnumerateArray().Select(e => e.ToString()));
            return "";
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
