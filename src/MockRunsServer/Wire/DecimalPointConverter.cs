using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MockRunsServer.Wire;

/// <summary>
/// Writes a float the way the API does: a whole number keeps its decimal point (<c>1.0</c>, not
/// System.Text.Json's <c>1</c>), as spec/runs.md records for <c>temperature</c> and <c>top_p</c>.
/// Other values are written as System.Text.Json writes them (shortest round-trip form).
/// </summary>
public sealed class DecimalPointConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        // Formatted straight into UTF-8 on the stack: every run and assistant written carries two of these.
        Span<byte> utf8 = stackalloc byte[24];
        if (double.IsFinite(value) && Math.Abs(value) < 1e15 && value == Math.Floor(value)
            && value.TryFormat(utf8, out var written, "0", CultureInfo.InvariantCulture) && written + 2 <= utf8.Length)
        {
            utf8[written++] = (byte)'.';
            utf8[written++] = (byte)'0';
            writer.WriteRawValue(utf8[..written], skipInputValidation: true);
            return;
        }
        writer.WriteNumberValue(value);
    }
}
