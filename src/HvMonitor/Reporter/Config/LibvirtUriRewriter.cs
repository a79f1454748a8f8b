namespace HvMonitor.Reporter.Config;

/// <summary>
/// The libvirt <c>server</c> → URI rewrite (docs/virt-who-compatibility.md, "The server URI") with hv-monitor's difference D3: the scheme
/// defaults to qemu+ssh, the <c>username</c> key replaces the URL's user, an empty path becomes /system,
/// and ssh transports get <c>no_tty=1</c>; unlike virt-who the port, the query and IPv6 brackets are kept.
/// A password in the URL is dropped (it would otherwise reach the log line "Using libvirt url").
/// <c>1.2.3.4</c> + username admin gives <c>qemu+ssh://admin@1.2.3.4/system?no_tty=1</c>.
/// </summary>
public static class LibvirtUriRewriter
{
    public sealed record Result(string Uri, IReadOnlyList<ValidationMessage> Messages);

    public static Result Rewrite(string server, string? username)
    {
        var messages = new List<ValidationMessage>();
        var url = server.Trim();
        if (!url.Contains("//", StringComparison.Ordinal))
            url = "//" + url;

        // Python's urlsplit: "scheme:" before "//", then the authority up to the next '/', '?' or '#'.
        string scheme = "";
        int slashes = url.IndexOf("//", StringComparison.Ordinal);
        if (slashes > 0 && url[slashes - 1] == ':')
            scheme = url[..(slashes - 1)];
        var rest = url[(slashes + 2)..];
        int authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var afterAuthority = authorityEnd < 0 ? "" : rest[authorityEnd..];
        int hash = afterAuthority.IndexOf('#');
        if (hash >= 0)
            afterAuthority = afterAuthority[..hash];
        int question = afterAuthority.IndexOf('?');
        var path = question < 0 ? afterAuthority : afterAuthority[..question];
        var query = question < 0 ? "" : afterAuthority[(question + 1)..];

        string? urlUser = null;
        var hostAndPort = authority;
        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            hostAndPort = authority[(at + 1)..];
            int colon = userInfo.IndexOf(':');
            urlUser = colon < 0 ? userInfo : userInfo[..colon];
        }

        if (scheme.Length == 0)
        {
            scheme = "qemu+ssh";
            messages.Add(ValidationMessage.Info("Protocol is not specified in libvirt url, using qemu+ssh://"));
        }
        var user = !string.IsNullOrEmpty(username) ? username : urlUser;
        if (path.Length <= 1)
        {
            path = "/system";
            messages.Add(ValidationMessage.Info("Libvirt path is not specified in the url, using /system"));
        }
        if (scheme.Contains("ssh", StringComparison.Ordinal) && !HasParameter(query, "no_tty"))
            query = query.Length == 0 ? "no_tty=1" : query + "&no_tty=1";

        var uri = $"{scheme}://{(string.IsNullOrEmpty(user) ? "" : user + "@")}{hostAndPort}{path}{(query.Length > 0 ? "?" + query : "")}";
        return new Result(uri, messages);
    }

    /// <summary>The URI without a password in its user part (<c>qemu+tcp://u:pw@h/system</c> gives
    /// <c>qemu+tcp://u@h/system</c>): libvirt does not use it, and the URI is logged.</summary>
    public static string WithoutPassword(string uri)
    {
        int start = uri.IndexOf("://", StringComparison.Ordinal);
        start = start < 0 ? 0 : start + 3;
        int end = uri.IndexOfAny(['/', '?', '#'], start);
        if (end < 0)
            end = uri.Length;
        int at = uri.LastIndexOf('@', end - 1, end - start);
        if (at < 0)
            return uri;
        int colon = uri.IndexOf(':', start, at - start);
        return colon < 0 ? uri : uri[..colon] + uri[at..];
    }

    private static bool HasParameter(string query, string name) =>
        query.Split('&').Any(p => p == name || p.StartsWith(name + "=", StringComparison.Ordinal));
}
