using System.Text.RegularExpressions;

namespace HvMonitor.Shared.Text;

/// <summary>
/// Keeps credentials written into a connection URI out of messages. libvirt's URIs are
/// <c>driver[+transport]://[user@][host][:port]/[path][?params]</c>: libvirt itself takes only a user name there, but
/// people write <c>qemu+tcp://monitor:PW@host/system</c> anyway, and serve mode hands every message to anyone
/// with the SNMP community. Pure; never throws, whatever the text.
/// </summary>
public static partial class UriCredentials
{
    public const string Mask = "***";

    /// <summary>Query parameters whose value is masked: any name containing one of these (case-insensitive).</summary>
    private static readonly string[] SecretParameterWords = ["pass", "pwd", "secret", "token", "credential"];

    /// <summary>
    /// <paramref name="uri"/> with the password of its user part (<c>user:PASSWORD@</c>) and the values of
    /// password-like query parameters (<c>?password=…</c>) replaced by <see cref="Mask"/>. Everything else stays,
    /// so the message still says which host was meant.
    /// </summary>
    public static string MaskUri(string uri)
    {
        int scheme = uri.IndexOf("://", StringComparison.Ordinal);
        int start = scheme < 0 ? 0 : scheme + 3;
        int query = uri.IndexOfAny(['?', '#'], start);
        int end = query < 0 ? uri.Length : query;
        var result = uri[..start];
        // The user part ends at the last '@' before the query: a password may itself hold '/', ':' or '@'.
        int at = end > start ? uri.LastIndexOf('@', end - 1, end - start) : -1;
        if (scheme >= 0 && at >= start)
        {
            var userinfo = uri[start..at];
            int colon = userinfo.IndexOf(':');
            result += (colon < 0 ? userinfo : userinfo[..colon] + ":" + Mask) + uri[at..end];
        }
        else
        {
            result += uri[start..end];
        }
        return query < 0 ? result : result + MaskQuery(uri[query..]);
    }

    /// <summary>
    /// <paramref name="text"/> (a message that may quote <paramref name="uri"/>, or parts of it, e.g. libvirt's own
    /// error) with every appearance of the URI masked and the password itself replaced wherever it appears.
    /// </summary>
    public static string Redact(string text, string? uri)
    {
        if (string.IsNullOrEmpty(uri) || text.Length == 0)
            return text;
        var masked = MaskUri(uri);
        if (masked == uri)
            return text;
        text = text.Replace(uri, masked, StringComparison.Ordinal);
        // A bare password is replaced only when long enough not to be an ordinary word of the message.
        foreach (var secret in Secrets(uri).Where(s => s.Length >= 3))
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }

    // scheme "://" user ":" password "@": the user part stops at '/', '@', ':' and whitespace; the password
    // runs to the last '@' before the host (a password may itself contain '@' or ':').
    [GeneratedRegex(@"(?<prefix>[A-Za-z][A-Za-z0-9+.\-]*://[^/?#@:\s]*:)(?<password>[^/?#\s]*)@")]
    private static partial Regex UserInfoWithPassword();

    /// <summary>
    /// Every URI's password in a free text masked (<c>qemu+ssh://user:pw@host/</c> becomes
    /// <c>qemu+ssh://user:***@host/</c>): for messages and log lines that may quote URIs the program did not open
    /// itself (configuration values, command lines). Text without such a URI comes back unchanged.
    /// </summary>
    public static string MaskPasswords(string text)
    {
        if (!text.Contains("://", StringComparison.Ordinal))
            return text;
        return UserInfoWithPassword().Replace(text, m => m.Groups["prefix"].Value + Mask + "@");
    }

    /// <summary>The secret values in a URI (the user part's password, password-like parameters' values).</summary>
    public static IReadOnlyList<string> Secrets(string uri)
    {
        var secrets = new List<string>();
        int scheme = uri.IndexOf("://", StringComparison.Ordinal);
        int start = scheme < 0 ? 0 : scheme + 3;
        int query = uri.IndexOfAny(['?', '#'], start);
        int end = query < 0 ? uri.Length : query;
        int at = end > start ? uri.LastIndexOf('@', end - 1, end - start) : -1;
        if (scheme >= 0 && at >= start && uri[start..at].IndexOf(':') is var colon and >= 0)
            secrets.Add(uri[(start + colon + 1)..at]);
        if (query >= 0)
        {
            foreach (var pair in uri[(query + 1)..].Split('&', ';'))
            {
                int eq = pair.IndexOf('=');
                if (eq > 0 && IsSecretName(pair[..eq]))
                    secrets.Add(pair[(eq + 1)..]);
            }
        }
        // Longest first, so that a password containing another is replaced whole; empty ones are nothing to hide.
        return secrets.Where(s => s.Length > 0).Distinct().OrderByDescending(s => s.Length).ToList();
    }

    private static string MaskQuery(string query)
    {
        var parts = query[1..].Split('&');
        for (int i = 0; i < parts.Length; i++)
        {
            int eq = parts[i].IndexOf('=');
            if (eq > 0 && IsSecretName(parts[i][..eq]))
                parts[i] = parts[i][..(eq + 1)] + Mask;
        }
        return query[0] + string.Join('&', parts);
    }

    private static bool IsSecretName(string name) =>
        SecretParameterWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));
}
