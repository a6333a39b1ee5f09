using System.Text.Json;
using MockRunsServer.Wire;

namespace MockRunsServer.Store;

/// <summary>
/// A message as the store keeps it, in a <see cref="MessageTable"/> slot: what its wire object
/// (<see cref="MessageObject"/>, made per answer and per event) shows, less the thread's id. Ids
/// are kept in place and references are to shared or rarely made objects only (literal strings, an
/// arena chunk, a user's parts, metadata), so that a run's reply leaves nothing for the GC to copy
/// (bench/README.md).
/// </summary>
public struct MessageSlot
{
    public InlineId Id;

    public long CreatedAt;

    /// <summary>Empty for a user's message.</summary>
    public InlineId AssistantId;

    /// <summary>Empty for a user's message.</summary>
    public InlineId RunId;

    public string Role;

    public string Status;

    public IncompleteDetails? IncompleteDetails;

    public long IncompleteAt;

    public long CompletedAt;

    /// <summary>The parts shown while <see cref="Shown"/> is -1: a user's message of other parts than one text.</summary>
    public MessageContent[] Content;

    /// <summary>
    /// A message of one text part (a run's reply, a user's text, one read back from a state file)
    /// keeps it here: for a run's reply, the text it will have when done.
    /// </summary>
    public ArenaText Text;

    /// <summary>How much of <see cref="Text"/> shows as the message's one text part; -1 while it shows <see cref="Content"/>.</summary>
    public int Shown;

    public IReadOnlyList<FileCitationAnnotation> Annotations;

    public JsonElement Attachments;

    public Dictionary<string, string> Metadata;

    /// <summary>Deleted by a client while its run still writes it: out of its thread, freed when the run lets go of it.</summary>
    public bool Detached;

    /// <summary>Whether the message shows a text part yet: a run's message shows none until its first piece.</summary>
    public readonly bool ShowsContent => Shown >= 0 || Content.Length > 0;

    /// <summary>The length of the text shown, for a message whose text is in the arena; null for one that shows its parts.</summary>
    public readonly int? WrittenLength => Shown < 0 ? null : Shown;

    /// <summary>A message a run begins to write: no text shows until its first piece.</summary>
    public static MessageSlot Reply(string id, long createdAt, RunObject run) => new()
    {
        Id = InlineId.Of(id),
        CreatedAt = createdAt,
        AssistantId = InlineId.Of(run.AssistantId),
        RunId = InlineId.Of(run.Id),
        Role = "assistant",
        Status = "in_progress",
        IncompleteAt = Packed.NoLong,
        CompletedAt = Packed.NoLong,
        Content = [],
        Shown = -1,
        Annotations = [],
        Attachments = JsonDefaults.EmptyArray,
        Metadata = JsonDefaults.EmptyMetadata,
    };

    /// <summary>A message a client wrote, complete as it is added.</summary>
    public static MessageSlot User(string id, long createdAt, NewMessage message, TextArena texts)
    {
        var slot = new MessageSlot
        {
            Id = InlineId.Of(id),
            CreatedAt = createdAt,
            Role = message.Role,
            Status = "completed",
            IncompleteAt = Packed.NoLong,
            CompletedAt = createdAt,
            Content = message.Content,
            Attachments = message.Attachments ?? JsonDefaults.EmptyArray,
            Metadata = message.Metadata ?? JsonDefaults.EmptyMetadata,
        };
        slot.KeepTextIn(texts);
        return slot;
    }

    /// <summary>A message read back from a state file.</summary>
    public static MessageSlot From(MessageObject message, TextArena texts)
    {
        var slot = new MessageSlot
        {
            Id = InlineId.Of(message.Id),
            CreatedAt = message.CreatedAt,
            AssistantId = message.AssistantId is { } assistant ? InlineId.Of(assistant) : default,
            RunId = message.RunId is { } run ? InlineId.Of(run) : default,
            Role = message.Role,
            Status = message.Status,
            IncompleteDetails = message.IncompleteDetails,
            IncompleteAt = Packed.Set(message.IncompleteAt),
            CompletedAt = Packed.Set(message.CompletedAt),
            Content = message.Content,
            Attachments = message.Attachments,
            Metadata = message.Metadata,
        };
        slot.KeepTextIn(texts);
        return slot;
    }

    /// <summary>
    /// A message written whole: one of one text part keeps its text in <paramref name="texts"/> and
    /// no parts; one of other parts keeps them.
    /// </summary>
    private void KeepTextIn(TextArena texts)
    {
        Shown = -1;
        Annotations = [];
        if (Content is [{ Type: "text", Text: { } part }])
        {
            Text = texts.Add(part.Value.Span);
            Shown = Text.Length;
            Annotations = part.Annotations;
            Content = [];
        }
    }

    /// <summary>
    /// Sets the text a run will write (a new one, or the same one cut shorter). What already shows
    /// stays shown: a message read back from a state file goes on from it.
    /// </summary>
    public void Write(ArenaText full)
    {
        Text = full;
        Shown = Math.Min(Shown, full.Length);
    }

    /// <summary>Shows the first <paramref name="length"/> characters of the text being written, as the message's one text part.</summary>
    public void Reveal(int length) => Shown = Math.Clamp(length, 0, Text.Length);

    public void Annotate(FileCitationAnnotation citation) => Annotations = [citation];

    /// <summary>The message as the API shows it now.</summary>
    public readonly MessageObject ToWire(string threadId) => new()
    {
        Id = Id.ToString(),
        CreatedAt = CreatedAt,
        AssistantId = AssistantId.Length == 0 ? null : AssistantId.ToString(),
        ThreadId = threadId,
        RunId = RunId.Length == 0 ? null : RunId.ToString(),
        Status = Status,
        IncompleteDetails = IncompleteDetails,
        IncompleteAt = Packed.Get(IncompleteAt),
        CompletedAt = Packed.Get(CompletedAt),
        Role = Role,
        Content = Shown < 0 ? Content : [new MessageContent { Type = "text", Text = new TextContent { Value = new TextValue(Text.Prefix(Shown)), Annotations = Annotations } }],
        Attachments = Attachments,
        Metadata = Metadata,
    };
}
