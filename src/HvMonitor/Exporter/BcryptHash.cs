using System.Security.Cryptography;
using System.Text;

namespace HvMonitor.Exporter;

/// <summary>
/// bcrypt password hashes as exporter-toolkit's basic_auth_users holds them ($2a$, $2b$ or $2y$, made by
/// htpasswd -B or any bcrypt library). Verification is BCrypt.Net-Next's (docs/prometheus.md says why not our
/// own Blowfish). A verified (user, password) pair is remembered as a SHA-256 digest, so a scrape every few
/// seconds does not cost a bcrypt run (~50-100 ms at cost 10) each time; the cache is bounded.
/// </summary>
public sealed class BcryptHash
{
    private const int CacheLimit = 64;
    private readonly Dictionary<string, string> _users;
    private readonly HashSet<string> _verified = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    // Unknown users are checked against this hash of a random password nobody kept, so a wrong name costs
    // as long as a wrong password.
    private const string DummyHash = "$2y$10$co6waui5wsz4EcJyjUwKDu.K6sBBAE6gKyW0VGT8.gkf0L6gZJkCi";

    public BcryptHash(IReadOnlyDictionary<string, string> users) => _users = new(users, StringComparer.Ordinal);

    /// <summary>$2a$/$2b$/$2y$, a two-digit cost 04-31, '$', 53 characters of bcrypt's base64.</summary>
    public static bool IsWellFormed(string hash)
    {
        if (hash.Length != 60 || hash[0] != '$' || hash[1] != '2' || hash[2] is not ('a' or 'b' or 'y') || hash[3] != '$' || hash[6] != '$')
            return false;
        if (!char.IsAsciiDigit(hash[4]) || !char.IsAsciiDigit(hash[5]))
            return false;
        int cost = (hash[4] - '0') * 10 + (hash[5] - '0');
        if (cost is < 4 or > 31)
            return false;
        for (int i = 7; i < 60; i++)
        {
            char c = hash[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '/'))
                return false;
        }
        return true;
    }

    /// <summary>One bcrypt check (no cache): whether <paramref name="password"/> matches <paramref name="hash"/>.</summary>
    public static bool Matches(string password, string hash)
    {
        if (!IsWellFormed(hash))
            return false;
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    public bool Check(string user, string password)
    {
        var key = CacheKey(user, password);
        lock (_lock)
        {
            if (_verified.Contains(key))
                return true;
        }
        bool known = _users.TryGetValue(user, out var hash);
        bool ok = Matches(password, known ? hash! : DummyHash) && known;
        if (ok)
        {
            lock (_lock)
            {
                if (_verified.Count >= CacheLimit)
                    _verified.Clear();
                _verified.Add(key);
            }
        }
        return ok;
    }

    private static string CacheKey(string user, string password)
    {
        var bytes = Encoding.UTF8.GetBytes(user + "\0" + password);
        return Convert.ToHexString(SHA256.HashData(bytes));
    }
}
