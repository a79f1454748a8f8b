using System.Text;

namespace HvMonitor.Reporter.Candlepin;

/// <summary>
/// Every Candlepin path and query string hv-monitor sends, in one place (docs/virt-who-compatibility.md, "Requests"). The prefix
/// (e.g. "/candlepin", "/rhsm") is pasted verbatim in front by the connection. The stand-in Candlepin of the
/// tests reads these too, so a path changed here is a path the tests expect.
/// </summary>
public static class CandlepinPaths
{
    /// <summary>The ping before every logical call (trailing slash).</summary>
    public const string Ping = "/status/";

    /// <summary>The capability lookup (no slash): managerCapabilities.</summary>
    public const string Capabilities = "/status";

    /// <summary>The resource list a local consumer update reads first (looks for rel "guestids").</summary>
    public const string ResourceList = "/";

    public static string Heartbeat(string owner, string reporterId) =>
        $"/hypervisors/{owner}/heartbeat?reporter_id={QuotePlus(reporterId)}";

    /// <summary>Async check-in: the owner is not escaped; the query order and "False" are Python's.</summary>
    public static string AsyncCheckIn(string owner, string reporterId) =>
        $"/hypervisors/{owner}?env=&cloaked=False&reporter_id={QuotePlus(reporterId)}";

    public static string LegacyCheckIn(string owner) => $"/hypervisors?owner={QuotePlus(owner)}&env=";

    public static string Consumer(string uuid) => $"/consumers/{uuid}";

    public static string Job(string jobId) => $"/jobs/{jobId}?result_data=True";

    /// <summary>Python's urllib.parse.quote_plus: unreserved characters stay, space is '+', the rest %XX of UTF-8.</summary>
    public static string QuotePlus(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '~')
                text.Append(c);
            else if (c == ' ')
                text.Append('+');
            else
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
