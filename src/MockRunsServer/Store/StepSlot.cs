using MockRunsServer.Wire;

namespace MockRunsServer.Store;

/// <summary>
/// A run step as the store keeps it, in a <see cref="StepTable"/> slot: what the step's wire
/// object (<see cref="RunStepObject"/>, made per answer and per event) does not take from its run.
/// Ids are kept in place and references are to shared or rarely made objects only (literal
/// strings, a tool_calls step's calls, a failure), so that an ordinary step leaves nothing for the
/// GC to copy.
/// </summary>
public struct StepSlot
{
    public InlineId Id;

    /// <summary>message_creation or tool_calls.</summary>
    public string Type;

    public string Status;

    public long CreatedAt;

    public long CancelledAt;

    public long CompletedAt;

    /// <summary>The run's expiry while the step and its run go on (spec/runs.md §12).</summary>
    public long ExpiresAt;

    public long ExpiredAt;

    public long FailedAt;

    /// <summary>The message a message_creation step writes; empty for a tool_calls step.</summary>
    public InlineId MessageId;

    /// <summary>A tool_calls step's calls, added to as the run makes them.</summary>
    public List<StepToolCall>? ToolCalls;

    public LastError? LastError;

    public UsageObject? Usage;

    /// <summary>The run's next step, or -1.</summary>
    public int Next;

    public readonly bool IsToolCalls => Type == "tool_calls";

    public static StepSlot Begin(string id, long createdAt, long? expiresAt, string? messageId) => new()
    {
        Id = InlineId.Of(id),
        Type = messageId is null ? "tool_calls" : "message_creation",
        Status = "in_progress",
        CreatedAt = createdAt,
        CancelledAt = Packed.NoLong,
        CompletedAt = Packed.NoLong,
        ExpiresAt = Packed.Set(expiresAt),
        ExpiredAt = Packed.NoLong,
        FailedAt = Packed.NoLong,
        MessageId = messageId is null ? default : InlineId.Of(messageId),
        ToolCalls = messageId is null ? [] : null,
        Next = -1,
    };

    /// <summary>A saved step, back in a slot.</summary>
    public static StepSlot From(RunStepObject step) => new()
    {
        Id = InlineId.Of(step.Id),
        Type = step.Type == "tool_calls" ? "tool_calls" : "message_creation",
        Status = step.Status,
        CreatedAt = step.CreatedAt,
        CancelledAt = Packed.Set(step.CancelledAt),
        CompletedAt = Packed.Set(step.CompletedAt),
        ExpiresAt = Packed.Set(step.ExpiresAt),
        ExpiredAt = Packed.Set(step.ExpiredAt),
        FailedAt = Packed.Set(step.FailedAt),
        MessageId = step.StepDetails.MessageCreation?.MessageId is { } messageId ? InlineId.Of(messageId) : default,
        ToolCalls = step.StepDetails.ToolCalls,
        LastError = step.LastError,
        Usage = step.Usage,
        Next = -1,
    };

    /// <summary>The step as the API shows it, with the ids its run gives it.</summary>
    public readonly RunStepObject ToWire(RunObject run) => new()
    {
        Id = Id.ToString(),
        CreatedAt = CreatedAt,
        RunId = run.Id,
        AssistantId = run.AssistantId,
        ThreadId = run.ThreadId,
        Type = Type,
        Status = Status,
        CancelledAt = Packed.Get(CancelledAt),
        CompletedAt = Packed.Get(CompletedAt),
        ExpiresAt = Packed.Get(ExpiresAt),
        ExpiredAt = Packed.Get(ExpiredAt),
        FailedAt = Packed.Get(FailedAt),
        LastError = LastError,
        StepDetails = IsToolCalls
            ? new StepDetails { Type = "tool_calls", ToolCalls = ToolCalls }
            : new StepDetails { Type = "message_creation", MessageCreation = new MessageCreationDetails(MessageId.ToString()) },
        Usage = Usage,
    };
}
