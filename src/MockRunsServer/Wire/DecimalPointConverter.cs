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
        if (double.IsFinite(value) && Math.Abs(value) < 1e15 && value == Math.Floor(value))
        {
            writer.WriteRawValue(value.ToString("0", CultureInfo.InvariantCulture) + ".0", skipInputValidation: true);
            return;
        }
        writer.WriteNumberValue(value);
    }
}
