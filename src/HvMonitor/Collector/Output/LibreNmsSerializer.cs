using System.Text.Json;
using HvMonitor.Collector.Model;

namespace HvMonitor.Collector.Output;

/// <summary>
/// The one serializer of the output model: compact (or indented) UTF-8 JSON, no BOM, in the form every
/// LibreNMS version reads (<see cref="LibreNmsJsonEncoder"/>: no backslash except in <c>\u00XX</c>; whole
/// numbers within int64 and decimals without exponent: <see cref="Int64RangeConverter"/>,
/// <see cref="PlainDecimalConverter"/>).
/// </summary>
public static class LibreNmsSerializer
{
    private static readonly HvJsonContext Compact = new(Options(indented: false));
    private static readonly HvJsonContext Indented = new(Options(indented: true));

    private static JsonSerializerOptions Options(bool indented) => new()
    {
        Encoder = LibreNmsJsonEncoder.Instance,
        WriteIndented = indented,
        Converters = { new Int64RangeConverter(), new PlainDecimalConverter() },
    };

    public static byte[] ToUtf8Json(Envelope envelope, bool pretty = false) =>
        JsonSerializer.SerializeToUtf8Bytes(envelope, (pretty ? Indented : Compact).Envelope);
}
