using System.Text.Json.Serialization;

namespace HvMonitor.Collector.Model;

/// <summary>Source-generated serializer for the output model: no reflection, trim-safe, fast start-up.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(Envelope))]
public sealed partial class HvJsonContext : JsonSerializerContext;
