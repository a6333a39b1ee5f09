using System.Text.Json;
using System.Text.Json.Serialization;

namespace MockRunsServer.Wire;

public sealed class MessageObject : Store.ISequenced
{
    private long incompleteAt = Packed.NoLong;
    private long completedAt = Packed.NoLong;
    private MessageContent[] content = [];

    // A message of one text part (a run's reply, a user's text, one read back from a state file)
    // keeps its text in the store's TextArena, not in content parts: the text (for a run's, as it
    // will read when done) and how much of it shows as the message's one text part. Its content parts
    // are made only when it is written out, so a kept message costs the GC this object alone, not
    // four (bench/README.md). shown is -1 while the message shows `content` instead: a user's message
    // of other parts, or a run's before its first piece.
    private Store.ArenaText text;
    private int shown = -1;
    private IReadOnlyList<FileCitationAnnotation> annotations = [];

    [JsonIgnore] public long Seq { get; init; } = Store.Sequence.Next();

    public required string Id { get; init; }
    public string Object => "thread.message";
    public required long CreatedAt { get; init; }
    public string? AssistantId { get; init; }
    public required string ThreadId { get; init; }
    public string? RunId { get; init; }
    public string Status { get; set; } = "completed";
    public IncompleteDetails? IncompleteDetails { get; set; }
    public long? IncompleteAt { get => Packed.Get(incompleteAt); set => incompleteAt = Packed.Set(value); }
    public long? CompletedAt { get => Packed.Get(completedAt); set => completedAt = Packed.Set(value); }
    public required string Role { get; init; }
    public MessageContent[] Content
    {
        get => shown < 0 ? content : [new MessageContent { Type = "text", Text = new TextContent { Value = new TextValue(text.Prefix(shown)), Annotations = annotations } }];
        set
        {
            content = value;
            text = default;
            shown = -1;
            annotations = [];
        }
    }
    public JsonElement Attachments { get; init; } = JsonDefaults.EmptyArray;
    public Dictionary<string, string> Metadata { get; set; } = JsonDefaults.EmptyMetadata;

    /// <summary>The message's text kept in the arena: for a run's, as it will read when done. Empty when none.</summary>
    [JsonIgnore] public Store.ArenaText Writing => text;

    /// <summary>Whether the message shows a text part yet: a run's message shows none until its first piece.</summary>
    [JsonIgnore] public bool ShowsContent => shown >= 0 || content.Length > 0;

    /// <summary>The length of the text shown, for a message whose text is in the arena; null for one that shows its parts.</summary>
    [JsonIgnore] public int? WrittenLength => shown < 0 ? null : shown;

    /// <summary>
    /// Sets the text a run will write (a new one, or the same one cut shorter). What already shows
    /// stays shown: a message read back from a state file (<see cref="KeepTextIn"/>) goes on from it.
    /// </summary>
    public void Write(Store.ArenaText full)
    {
        text = full;
        shown = Math.Min(shown, full.Length);
    }

    /// <summary>
    /// A message of one text part (a user's, or one read back from a state file) moves its text into
    /// <paramref name="texts"/> and keeps no parts; a message of other parts keeps them.
    /// </summary>
    public void KeepTextIn(Store.TextArena texts)
    {
        if (shown >= 0 || content is not [{ Type: "text", Text: { } part }])
        {
            return;
        }
        text = texts.Add(part.Value.Span);
        shown = text.Length;
        annotations = part.Annotations;
        content = [];
    }

    /// <summary>Shows the first <paramref name="length"/> characters of the text being written, as the message's one text part.</summary>
    public void Reveal(int length) => shown = Math.Clamp(length, 0, text.Length);

    public void Annotate(FileCitationAnnotation citation) => annotations = [citation];
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

public sealed record IncompleteDetails(string Reason);

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
