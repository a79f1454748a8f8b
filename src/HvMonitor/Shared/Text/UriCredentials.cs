using System.Text.RegularExpressions;

namespace HvMonitor.Shared.Text;

/// <summary>
/// Hides the password of every URI in a text (<c>qemu+ssh://user:pw@host/</c> becomes
/// <c>qemu+ssh://user:********@host/</c>), so that a message or log line that quotes a URI given by an
/// admin never shows its secret. Pure; text without such a URI comes back unchanged.
/// </summary>
public static partial class UriCredentials
{
    public const string Mask = "********";

    // scheme "://" user ":" password "@": the user part stops at '/', '@', ':' and whitespace; the password
    // runs to the last '@' before the host (a password may itself contain '@' or ':').
    [GeneratedRegex(@"(?<prefix>[A-Za-z][A-Za-z0-9+.\-]*://[^/?#@:\s]*:)(?<password>[^/?#\s]*)@")]
    private static partial Regex UserInfoWithPassword();

    public static string MaskPasswords(string text)
    {
        if (!text.Contains("://", StringComparison.Ordinal))
            return text;
        return UserInfoWithPassword().Replace(text, m => m.Groups["prefix"].Value + Mask + "@");
    }
}
