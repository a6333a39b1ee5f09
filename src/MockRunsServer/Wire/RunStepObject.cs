using System.Text.Json.Serialization;

namespace MockRunsServer.Wire;

public sealed class RunStepObject : Store.ISequenced
{
    [JsonIgnore] public long Seq { get; init; } = Store.Sequence.Next();

    public required string Id { get; init; }
    public string Object => "thread.run.step";
    public required long CreatedAt { get; init; }
    public required string RunId { get; init; }
    public required string AssistantId { get; init; }
    public required string ThreadId { get; init; }
    public required string Type { get; init; }
    public string Status { get; set; } = "in_progress";
    public long? CancelledAt { get; set; }
    public long? CompletedAt { get; set; }

    /// <summary>The live service sent the run's expiry here while the step ran (spec/runs.md §12).</summary>
    public long? ExpiresAt { get; set; }

    /// <summary>The spec's name for when the step expired; sent too, since the spec requires it.</summary>
    public long? ExpiredAt { get; set; }

    public long? FailedAt { get; set; }
    public LastError? LastError { get; set; }
    public required StepDetails StepDetails { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = JsonDefaults.EmptyMetadata;
    public UsageObject? Usage { get; set; }
}

public sealed class StepDetails
{
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MessageCreationDetails? MessageCreation { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<StepToolCall>? ToolCalls { get; init; }
}

public sealed record MessageCreationDetails(string MessageId);

public sealed class StepToolCall
{
    public required string Id { get; init; }
    public string Type => "function";
    public required StepFunctionCall Function { get; init; }
}

public sealed class StepFunctionCall
{
    public required string Name { get; init; }
    public required string Arguments { get; init; }
    public string? Output { get; set; }
}
