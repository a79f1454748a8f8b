using System.Text;
using System.Text.RegularExpressions;

namespace HvMonitor.Reporter.Sources;

/// <summary>
/// filter_hosts / exclude_hosts / filter_type on a hypervisor id (docs/virt-who-compatibility.md, "Host filters"): exclusion first (any
/// match drops), then the host must match at least one filter_hosts entry (an empty list drops it).
/// wildcards = fnmatch on lower-cased text; regex = anchored, case-insensitive; unset = either.
/// </summary>
public static class HostFilter
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public static bool Keeps(string? hypervisorId, HostFilterSettings filter)
    {
        var host = hypervisorId ?? "";
        if (filter.ExcludeHosts is { } exclude && exclude.Any(p => Matches(host, p, filter.Type)))
            return false;
        if (filter.FilterHosts is { } include && !include.Any(p => Matches(host, p, filter.Type)))
            return false;
        return true;
    }

    public static bool Matches(string host, string pattern, FilterType type) => type switch
    {
        FilterType.Wildcards => WildcardMatches(host, pattern),
        FilterType.Regex => RegexMatches(host, pattern),
        _ => WildcardMatches(host, pattern) || RegexMatches(host, pattern),
    };

    /// <summary>Python's re.match('^' + pattern + '$', host, IGNORECASE); an invalid pattern matches nothing.</summary>
    public static bool RegexMatches(string host, string pattern)
    {
        try
        {
            return Regex.IsMatch(host, "^" + pattern + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public static bool WildcardMatches(string host, string pattern) =>
        Regex.IsMatch(host.ToLowerInvariant(), TranslateWildcard(pattern.ToLowerInvariant()), RegexOptions.Singleline | RegexOptions.CultureInvariant, RegexTimeout);

    /// <summary>fnmatch.translate: <c>* ? [seq] [!seq]</c>, everything else literal, whole string.</summary>
    public static string TranslateWildcard(string pattern)
    {
        var sb = new StringBuilder("^(?:");
        int i = 0, n = pattern.Length;
        while (i < n)
        {
            char c = pattern[i++];
            if (c == '*')
                sb.Append(".*");
            else if (c == '?')
                sb.Append('.');
            else if (c == '[')
            {
                int j = i;
                if (j < n && pattern[j] == '!')
                    j++;
                if (j < n && pattern[j] == ']')
                    j++;
                while (j < n && pattern[j] != ']')
                    j++;
                if (j >= n)
                    sb.Append(@"\[");
                else
                {
                    var stuff = pattern[i..j].Replace(@"\", @"\\", StringComparison.Ordinal);
                    i = j + 1;
                    if (stuff.StartsWith('!'))
                        stuff = "^" + stuff[1..];
                    else if (stuff.StartsWith('^') || stuff.StartsWith('['))
                        stuff = @"\" + stuff;
                    sb.Append('[').Append(stuff.Replace("[", @"\[", StringComparison.Ordinal)).Append(']');
                }
            }
            else
                sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.Append(@")\z").ToString();
    }
}
