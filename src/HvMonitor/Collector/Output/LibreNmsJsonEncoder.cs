using System.Text.Encodings.Web;

namespace HvMonitor.Collector.Output;

/// <summary>
/// Escapes only what JSON requires (<c>"</c>, <c>\</c> and control characters) and writes everything else,
/// non-ASCII letters included, as plain UTF-8. LibreNMS runs stripslashes() over our output before
/// json_decode(), which turns any <c>\uXXXX</c> escape into garbage; the stock encoders escape
/// non-ASCII (Default) or astral characters (UnsafeRelaxedJsonEscaping), so we write our own.
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
        string escaped = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            < 0x20 => "\\u" + unicodeScalar.ToString("x4", System.Globalization.CultureInfo.InvariantCulture),
            _ => char.ConvertFromUtf32(unicodeScalar),
        };
        if (escaped.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        escaped.AsSpan().CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = escaped.Length;
        return true;
    }
}
