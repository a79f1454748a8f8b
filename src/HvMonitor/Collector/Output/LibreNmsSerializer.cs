using System.Text.Json;
using HvMonitor.Collector.Model;

namespace HvMonitor.Collector.Output;

/// <summary>The one serializer of the output model: compact (or indented) UTF-8 JSON without \u escapes.</summary>
public static class LibreNmsSerializer
{
    private static readonly HvJsonContext Compact = new(new JsonSerializerOptions { Encoder = LibreNmsJsonEncoder.Instance });
    private static readonly HvJsonContext Indented = new(new JsonSerializerOptions { Encoder = LibreNmsJsonEncoder.Instance, WriteIndented = true });

    public static byte[] ToUtf8Json(Envelope envelope, bool pretty = false) =>
        JsonSerializer.SerializeToUtf8Bytes(envelope, (pretty ? Indented : Compact).Envelope);
}
