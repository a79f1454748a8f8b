using System.Text.Encodings.Web;

namespace HvMonitor.Collector.Output;

/// <summary>
/// The one string encoding every LibreNMS can read (docs/fields.md, "Encoding"). LibreNMS runs PHP's
/// stripslashes() over the plain form (every version) and over the decoded gzip+base64 form (22.11 to 24.3)
/// before json_decode(), which turns a standard <c>\"</c> into a bare quote and loses the whole host's poll.
/// So no two-character escape is ever written: <c>"</c>, <c>\</c> and the control characters become
/// <c>\u0022</c>, <c>\u005c</c>, <c>\u00XX</c> (valid JSON for every reader; after stripslashes the name
/// reads <c>u0022</c>, but the poll survives), and everything else, non-ASCII and characters outside the
/// Basic Multilingual Plane included, is written as plain UTF-8. The stock encoders cannot do this:
/// they write <c>\"</c> and escape non-ASCII (Default) or astral characters (UnsafeRelaxedJsonEscaping).
/// </summary>
public sealed class LibreNmsJsonEncoder : JavaScriptEncoder
{
    public static readonly LibreNmsJsonEncoder Instance = new();

    public override int MaxOutputCharactersPerInputCharacter => 6; // \u001f

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (int i = 0; i < textLength; i++)
        {
            if (WillEncode(text[i]))
                return i;
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        if (!WillEncode(unicodeScalar))
        {
            var rune = new System.Text.Rune(unicodeScalar);
            bool fits = rune.TryEncodeToUtf16(destination, out numberOfCharactersWritten);
            return fits;
        }
        if (bufferLength < 6)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        // Only scalars below 0x80 get here, so four lower-case hex digits always suffice.
        "\\u00".AsSpan().CopyTo(destination);
        destination[4] = HexDigit(unicodeScalar >> 4);
        destination[5] = HexDigit(unicodeScalar & 0xf);
        numberOfCharactersWritten = 6;
        return true;
    }

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
