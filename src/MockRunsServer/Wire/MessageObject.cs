using System.Text.Json;
using System.Text.Json.Serialization;

namespace MockRunsServer.Wire;

public sealed class MessageObject : Store.ISequenced
{
    [JsonIgnore] public long Seq { get; init; } = Store.Sequence.Next();

    public required string Id { get; init; }
    public string Object => "thread.message";
    public required long CreatedAt { get; init; }
    public string? AssistantId { get; init; }
    public required string ThreadId { get; init; }
    public string? RunId { get; init; }
    public string Status { get; set; } = "completed";
    public IncompleteDetails? IncompleteDetails { get; set; }
    public long? IncompleteAt { get; set; }
    public long? CompletedAt { get; set; }
    public required string Role { get; init; }
    public List<MessageContent> Content { get; set; } = [];
    public JsonElement Attachments { get; init; } = JsonDefaults.EmptyArray;
    public Dictionary<string, string> Metadata { get; set; } = JsonDefaults.EmptyMetadata;
}

/// <summary>One part of a message's <c>content</c>; exactly one of the payloads is set, matching <see cref="Type"/>.</summary>
public sealed class MessageContent
{
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TextContent? Text { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImageUrlContent? ImageUrl { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImageFileContent? ImageFile { get; init; }

    public static MessageContent FromText(string value) => new() { Type = "text", Text = new TextContent { Value = value } };
}

public sealed class TextContent
{
    public required string Value { get; set; }
    public JsonElement Annotations { get; init; } = JsonDefaults.EmptyArray;
}

public sealed class ImageUrlContent
{
    public required string Url { get; init; }
    public string Detail { get; init; } = "auto";
}

public sealed class ImageFileContent
{
    public required string FileId { get; init; }
    public string Detail { get; init; } = "auto";
}

public sealed record IncompleteDetails(string Reason);
