using System.Text.Json;

namespace MockRunsServer.Wire.Validation;

/// <summary>
/// The readers take a null field as an absent one; what they keep as given (tool resources, a
/// response format, attachments) must then leave the null out too, or the answer would carry a null
/// where OpenAI's schema has an object, array or string.
/// </summary>
internal static class AbsentNulls
{
    /// <summary>
    /// A copy of <paramref name="value"/> without null-valued properties, at every depth except under
    /// <paramref name="verbatim"/> (a JSON schema, where a null is a value: "default": null).
    /// </summary>
    public static JsonElement Drop(JsonElement value, string? verbatim = null)
    {
        if (!HasNullProperty(value, verbatim))
        {
            return value.Clone();
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value, verbatim);
        }
        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    private static bool HasNullProperty(JsonElement value, string? verbatim) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().Any(property =>
            property.Value.ValueKind == JsonValueKind.Null || (property.Name != verbatim && HasNullProperty(property.Value, verbatim))),
        JsonValueKind.Array => value.EnumerateArray().Any(item => HasNullProperty(item, verbatim)),
        _ => false,
    };

    private static void Write(Utf8JsonWriter writer, JsonElement value, string? verbatim)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Null)
                    {
                        continue;
                    }
                    writer.WritePropertyName(property.Name);
                    if (property.Name == verbatim)
                    {
                        property.Value.WriteTo(writer);
                    }
                    else
                    {
                        Write(writer, property.Value, verbatim);
                    }
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item, verbatim);
                }
                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}
