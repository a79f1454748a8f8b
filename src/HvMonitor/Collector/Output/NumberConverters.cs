using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HvMonitor.Collector.Output;

/// <summary>
/// Every whole number in the output (counters, sizes, counts) is a ulong in the model, so it can never carry
/// a fraction or an exponent; this writes it clamped to 2^63-1. rrdtool rejects the WHOLE update of an RRD
/// file when a DERIVE value is not a simple signed 64-bit integer, and PHP turns a larger integer into a
/// float printed as 1.8446744073709552E+19 (docs/librenms.md).
/// </summary>
public sealed class Int64RangeConverter : JsonConverter<ulong>
{
    public override ulong Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetUInt64();

    public override void Write(Utf8JsonWriter writer, ulong value, JsonSerializerOptions options) =>
        writer.WriteNumberValue((long)Math.Min(value, long.MaxValue));
}

/// <summary>
/// Decimal numbers (GAUGE pcpu and pmem, DDERIVE usertime, systime, rtime, wtime, ftime) in plain positional
/// notation with at most six decimals: never an exponent (the shortest round-trip form of 1e16 is "1E+16"),
/// never NaN or Infinity (not JSON), and sums like 0.1 + 0.2 come out as 0.3.
/// </summary>
public sealed class PlainDecimalConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) =>
        writer.WriteRawValue(Format(value), skipInputValidation: true);

    public static string Format(double value)
    {
        if (!double.IsFinite(value))
            return "0";
        var rounded = Math.Round(value, 6, MidpointRounding.AwayFromZero);
        return rounded == 0 ? "0" : rounded.ToString("0.######", CultureInfo.InvariantCulture);
    }
}
