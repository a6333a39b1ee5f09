using System.Text.Json;
using System.Text.Json.Serialization;
using MockRunsServer.Generation;

namespace MockRunsServer.Wire;

/// <summary>
/// A file search result with the text it found, for a request whose <c>include[]</c> asks for it: the
/// fields in the live API's order, then <c>content</c>, one text part (spec/runs.md §3.5). Without
/// include[] the result has no <c>content</c> key at all, so the text is never kept, only written.
/// </summary>
public sealed class FileSearchContentConverter : JsonConverter<FileSearchResult>
{
    public override FileSearchResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Only answers are written with a result's content.");

    public override void Write(Utf8JsonWriter writer, FileSearchResult value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("file_id", value.FileId);
        writer.WriteString("file_name", value.FileName);
        writer.WriteNumber("score", value.Score);
        writer.WritePropertyName("attributes");
        value.Attributes.WriteTo(writer);
        writer.WriteStartArray("content");
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("text", ContentGenerator.FileText(value.FileId));
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
