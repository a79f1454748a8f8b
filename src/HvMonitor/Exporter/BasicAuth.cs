using System.Text;

namespace HvMonitor.Exporter;

/// <summary>Reads an HTTP <c>Authorization: Basic base64(user:password)</c> header (RFC 7617). Pure but for the check.</summary>
public static class BasicAuth
{
    public static bool Authorized(string? header, BcryptHash users) =>
        TryParse(header, out var user, out var password) && users.Check(user, password);

    public static bool TryParse(string? header, out string user, out string password)
    {
        user = password = "";
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || header.Length > 4096)
            return false;
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(header[6..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(decoded);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        int colon = text.IndexOf(':');
        if (colon < 0)
            return false;
        user = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }
}
