using System.Text;

namespace HvMonitor.Exporter;

/// <summary>
/// <c>--web.config.file</c>, in the Prometheus exporter-toolkit's YAML format, the part hv-monitor serves:
/// <code>
/// tls_server_config:
///   cert_file: server.crt      # PEM; relative paths are relative to this file's directory
///   key_file: server.key
/// basic_auth_users:
///   alice: $2y$10$...          # bcrypt hash (htpasswd -nbB alice PASSWORD)
/// </code>
/// Any other key (client certificates, TLS versions, http_server_config, ...) is an error that names it, rather
/// than a setting silently ignored: a config that asks for more protection than it gets must not start.
/// </summary>
public sealed record WebConfig(string? CertFile, string? KeyFile, IReadOnlyDictionary<string, string> Users)
{
    public static readonly WebConfig None = new(null, null, new Dictionary<string, string>());

    public bool Tls => CertFile is not null;

    /// <summary>Reads and checks the file; throws <see cref="WebConfigException"/> with the file and line.</summary>
    public static WebConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WebConfigException($"{path}: cannot read it: {e.Message}");
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return Parse(text, path, dir);
    }

    /// <summary>Pure: the config in <paramref name="text"/>; relative file names are resolved against <paramref name="baseDir"/>.</summary>
    public static WebConfig Parse(string text, string source, string baseDir)
    {
        var doc = SimpleYaml.Parse(text, source);
        string? cert = null, key = null;
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (section, entry) in doc)
        {
            switch (section)
            {
                case "tls_server_config":
                    foreach (var (name, value) in entry.Children)
                    {
                        switch (name)
                        {
                            case "cert_file": cert = Resolve(value, baseDir); break;
                            case "key_file": key = Resolve(value, baseDir); break;
                            default:
                                throw new WebConfigException($"{source}:{value.Line}: tls_server_config.{name} is not supported by hv-monitor " +
                                    "(supported: cert_file, key_file)");
                        }
                    }
                    if ((cert is null) != (key is null) || (cert is null && entry.Children.Count == 0))
                        throw new WebConfigException($"{source}:{entry.Line}: tls_server_config needs both cert_file and key_file");
                    break;
                case "basic_auth_users":
                    foreach (var (user, hash) in entry.Children)
                    {
                        if (user.Length == 0 || user.Contains(':'))
                            throw new WebConfigException($"{source}:{hash.Line}: basic_auth_users: a user name must be non-empty and contain no ':'");
                        if (!BcryptHash.IsWellFormed(hash.Text))
                            throw new WebConfigException($"{source}:{hash.Line}: basic_auth_users.{user}: not a bcrypt hash " +
                                "($2a$, $2b$ or $2y$, cost 04-31, 53 more characters; make one with 'htpasswd -nbBC 10 USER PASSWORD')");
                        users[user] = hash.Text;
                    }
                    break;
                default:
                    throw new WebConfigException($"{source}:{entry.Line}: '{section}' is not supported by hv-monitor " +
                        "(supported: tls_server_config with cert_file and key_file; basic_auth_users)");
            }
        }
        return new WebConfig(cert, key, users);
    }

    private static string Resolve(SimpleYaml.Value value, string baseDir)
    {
        if (value.Text.Length == 0)
            throw new WebConfigException($"line {value.Line}: an empty file name");
        return Path.IsPathRooted(value.Text) ? value.Text : Path.GetFullPath(Path.Combine(baseDir, value.Text));
    }
}

public sealed class WebConfigException(string message) : Exception(message);

/// <summary>
/// The YAML that exporter-toolkit web configs use and nothing more: top-level keys each holding a mapping of
/// scalar keys to scalar values, two levels deep; plain, 'single-' and "double-quoted" scalars; # comments; a
/// leading <c>---</c>. Sequences, flow collections other than <c>{}</c>, anchors, tags, block scalars and tabs
/// are refused with the line they are on. Pure.
/// </summary>
public static class SimpleYaml
{
    public sealed record Value(string Text, int Line);

    public sealed record Section(int Line, List<(string Key, Value Value)> Children);

    public static List<(string Key, Section Entry)> Parse(string text, string source)
    {
        var result = new List<(string, Section)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Section? current = null;
        HashSet<string>? currentKeys = null;
        int childIndent = -1;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            int lineNo = n + 1;
            string raw = lines[n];
            string Where() => $"{source}:{lineNo}";
            int indent = 0;
            while (indent < raw.Length && raw[indent] == ' ')
                indent++;
            if (indent < raw.Length && raw[indent] == '\t')
                throw new WebConfigException($"{Where()}: a tab in the indentation (YAML allows spaces only)");
            string body = StripComment(raw[indent..], Where).TrimEnd();
            if (body.Length == 0)
                continue;
            if (indent == 0 && body == "---" && result.Count == 0 && current is null)
                continue;
            var (key, rest) = SplitKey(body, Where);
            if (indent == 0)
            {
                if (!seen.Add(key))
                    throw new WebConfigException($"{Where()}: '{key}' appears twice");
                current = new Section(lineNo, []);
                currentKeys = new HashSet<string>(StringComparer.Ordinal);
                childIndent = -1;
                result.Add((key, current));
                if (rest is "{}")
                {
                    current = null;
                    continue;
                }
                if (rest.Length != 0)
                    throw new WebConfigException($"{Where()}: '{key}' must be a mapping (its entries indented on the lines below), not a value");
                continue;
            }
            if (current is null)
                throw new WebConfigException($"{Where()}: an indented line outside a section");
            if (childIndent < 0)
                childIndent = indent;
            else if (indent != childIndent)
                throw new WebConfigException($"{Where()}: indentation differs from the lines above (only two levels are supported)");
            if (!currentKeys!.Add(key))
                throw new WebConfigException($"{Where()}: '{key}' appears twice");
            current.Children.Add((key, new Value(ParseScalar(rest, Where) ?? throw new WebConfigException($"{Where()}: '{key}' needs a value"), lineNo)));
        }
        return result;
    }

    /// <summary>Drops a comment: # at the start or after a space, outside quotes.</summary>
    private static string StripComment(string s, Func<string> where)
    {
        char quote = '\0';
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                    i++;
                else if (c == quote)
                    quote = '\0';
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || s[i - 1] == ' '))
            {
                return s[..i];
            }
        }
        if (quote != '\0')
            throw new WebConfigException($"{where()}: a quoted string is not closed on this line");
        return s;
    }

    /// <summary>"key: rest" with a plain or quoted key.</summary>
    private static (string Key, string Value) SplitKey(string body, Func<string> where)
    {
        if (body.StartsWith("- ", StringComparison.Ordinal) || body == "-")
            throw new WebConfigException($"{where()}: lists are not supported here");
        string key;
        int after;
        if (body[0] is '"' or '\'')
        {
            int end = FindClosingQuote(body, 0, where);
            key = ParseScalar(body[..(end + 1)], where)!;
            after = end + 1;
            if (after >= body.Length || body[after] != ':')
                throw new WebConfigException($"{where()}: expected ':' after the quoted key");
        }
        else
        {
            after = body.IndexOf(": ", StringComparison.Ordinal);
            if (after < 0)
                after = body.EndsWith(':') ? body.Length - 1 : throw new WebConfigException($"{where()}: expected 'key: value'");
            key = body[..after];
            if (key.IndexOfAny(['{', '[', '&', '*', '!', '?', '|', '>', '%', '@', '`']) >= 0)
                throw new WebConfigException($"{where()}: '{key}' uses YAML syntax that is not supported here");
        }
        return (key, body[(after + 1)..].Trim());
    }

    private static int FindClosingQuote(string s, int start, Func<string> where)
    {
        char q = s[start];
        for (int i = start + 1; i < s.Length; i++)
        {
            if (q == '"' && s[i] == '\\')
            {
                i++;
                continue;
            }
            if (s[i] == q)
            {
                if (q == '\'' && i + 1 < s.Length && s[i + 1] == '\'')
                {
                    i++;
                    continue;
                }
                return i;
            }
        }
        throw new WebConfigException($"{where()}: a quoted string is not closed on this line");
    }

    /// <summary>A scalar value; null for an empty one.</summary>
    private static string? ParseScalar(string s, Func<string> where)
    {
        if (s.Length == 0)
            return null;
        if (s[0] == '\'')
        {
            int end = FindClosingQuote(s, 0, where);
            if (end != s.Length - 1)
                throw new WebConfigException($"{where()}: text after the closing quote");
            return s[1..end].Replace("''", "'", StringComparison.Ordinal);
        }
        if (s[0] == '"')
        {
            int end = FindClosingQuote(s, 0, where);
            if (end != s.Length - 1)
                throw new WebConfigException($"{where()}: text after the closing quote");
            var sb = new StringBuilder();
            for (int i = 1; i < end; i++)
            {
                if (s[i] != '\\')
                {
                    sb.Append(s[i]);
                    continue;
                }
                char e = s[++i];
                sb.Append(e switch
                {
                    '\\' => '\\',
                    '"' => '"',
                    '/' => '/',
                    _ => throw new WebConfigException($"{where()}: the escape '\\{e}' is not supported here (only \\\\ and \\\")"),
                });
            }
            return sb.ToString();
        }
        if (s[0] is '&' or '*' or '!' or '|' or '>' or '{' or '[' or '%' or '@' or '`')
            throw new WebConfigException($"{where()}: '{s}' uses YAML syntax that is not supported here (anchors, tags, block or flow values)");
        if (s.Contains(": ", StringComparison.Ordinal))
            throw new WebConfigException($"{where()}: nested mappings are not supported here");
        return s;
    }
}
