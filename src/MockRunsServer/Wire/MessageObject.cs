using System.Text.Json;
using System.Text.Json.Serialization;

namespace MockRunsServer.Wire;

/// <summary>A message as the API shows it: made per answer and per event from the store's <see cref="Store.MessageSlot"/>.</summary>
public sealed class MessageObject
{
    public required string Id { get; init; }
    public string Object => "thread.message";
    public required long CreatedAt { get; init; }
    public string? AssistantId { get; init; }
    public required string ThreadId { get; init; }
    public string? RunId { get; init; }
    public string Status { get; init; } = "completed";
    public IncompleteDetails? IncompleteDetails { get; init; }
    public long? IncompleteAt { get; init; }
    public long? CompletedAt { get; init; }
    public required string Role { get; init; }
    public MessageContent[] Content { get; init; } = [];
    public JsonElement Attachments { get; init; } = JsonDefaults.EmptyArray;
    public Dictionary<string, string> Metadata { get; init; } = JsonDefaults.EmptyMetadata;
}

/// <summary>One part of a message's <c>content</c>; exactly one of the payloads is set, matching <see cref="Type"/>.</summary>
public readonly struct MessageContent
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
    public required TextValue Value { get; init; }

    /// <summary>Empty but for a file search's citation, which a run adds once its text is revealed.</summary>
    public IReadOnlyList<FileCitationAnnotation> Annotations { get; init; } = [];
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

public sealed record IncompleteDetails(string Reason)
{
    private static readonly Dictionary<string, IncompleteDetails> Shared = new[]
    {
        "max_tokens", "run_cancelled", "run_failed", "run_expired", "max_completion_tokens", "max_prompt_tokens",
    }.ToDictionary(reason => reason, reason => new IncompleteDetails(reason), StringComparer.Ordinal);

    /// <summary>One shared instance per reason the server writes: a kept run or message points at it instead of an object of its own.</summary>
    public static IncompleteDetails Of(string reason) => Shared.GetValueOrDefault(reason) ?? new IncompleteDetails(reason);
}

/// <summary>
/// A citation of a file a search found, as the live API wrote it: the marker's text
/// (<c>【4:0†name】</c>) and where it stands in the message's text, in characters (code points).
/// </summary>
public sealed class FileCitationAnnotation
{
    public string Type => "file_citation";
    public required string Text { get; init; }
    public required int StartIndex { get; init; }
    public required int EndIndex { get; init; }
    public required FileCitation FileCitation { get; init; }
}

public sealed record FileCitation(string FileId);
