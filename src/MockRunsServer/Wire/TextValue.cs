using System.Text.Json;
using System.Text.Json.Serialization;

namespace MockRunsServer.Wire;

/// <summary>
/// A text part's <c>value</c>: a string (a part as a request gave it) or a stretch of the store's
/// text arena (a message's one text, made into a part as the message is written out), which JSON
/// writes from where it lies: listing twenty messages makes no copy of their texts.
/// </summary>
[JsonConverter(typeof(TextValueConverter))]
public readonly struct TextValue
{
    private readonly string? value;
    private readonly Store.ArenaText text;

    public TextValue(string value) => this.value = value;

    public TextValue(Store.ArenaText text) => this.text = text;

    public int Length => value?.Length ?? text.Length;

    public ReadOnlySpan<char> Span => value is not null ? value.AsSpan() : text.Span;

    public override string ToString() => value ?? text.ToString();

    public static implicit operator TextValue(string value) => new(value);
}

/// <summary>Reads and writes a <see cref="TextValue"/> as the JSON string it is on the wire.</summary>
public sealed class TextValueConverter : JsonConverter<TextValue>
{
    public override TextValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? new TextValue(reader.GetString()!) : throw new JsonException("A text part's value must be a string.");

    public override void Write(Utf8JsonWriter writer, TextValue value, JsonSerializerOptions options) => writer.WriteStringValue(value.Span);
}
