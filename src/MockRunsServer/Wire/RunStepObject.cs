using System.Text.Json;
using System.Text.Json.Serialization;

namespace MockRunsServer.Wire;

public sealed class RunStepObject : Store.ISequenced
{
    private long cancelledAt = Packed.NoLong;
    private long completedAt = Packed.NoLong;
    private long expiresAt = Packed.NoLong;
    private long expiredAt = Packed.NoLong;
    private long failedAt = Packed.NoLong;

    [JsonIgnore] public long Seq { get; init; } = Store.Sequence.Next();

    public bool HasId(ReadOnlySpan<char> id) => id.SequenceEqual(Id);

    public required string Id { get; init; }
    public string Object => "thread.run.step";
    public required long CreatedAt { get; init; }
    public required string RunId { get; init; }
    public required string AssistantId { get; init; }
    public required string ThreadId { get; init; }
    public required string Type { get; init; }
    public string Status { get; set; } = "in_progress";
    public long? CancelledAt { get => Packed.Get(cancelledAt); set => cancelledAt = Packed.Set(value); }
    public long? CompletedAt { get => Packed.Get(completedAt); set => completedAt = Packed.Set(value); }

    /// <summary>The live service sent the run's expiry here while the step ran (spec/runs.md §12).</summary>
    public long? ExpiresAt { get => Packed.Get(expiresAt); set => expiresAt = Packed.Set(value); }

    /// <summary>The spec's name for when the step expired; sent too, since the spec requires it.</summary>
    public long? ExpiredAt { get => Packed.Get(expiredAt); set => expiredAt = Packed.Set(value); }

    public long? FailedAt { get => Packed.Get(failedAt); set => failedAt = Packed.Set(value); }
    public LastError? LastError { get; set; }
    public required StepDetails StepDetails { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = JsonDefaults.EmptyMetadata;
    public UsageObject? Usage { get; set; }
}

public readonly struct StepDetails
{
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MessageCreationDetails? MessageCreation { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<StepToolCall>? ToolCalls { get; init; }
}

public readonly record struct MessageCreationDetails(string MessageId);

/// <summary>A call of a tool_calls step: a function the client runs, or a file search or code the run ran itself.</summary>
public sealed class StepToolCall
{
    public required string Id { get; init; }
    public string Type { get; init; } = "function";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StepFunctionCall? Function { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StepFileSearch? FileSearch { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StepCodeInterpreter? CodeInterpreter { get; init; }
}

/// <summary>Code the run wrote and ran itself, and what it printed (logs; images are not made here).</summary>
public sealed class StepCodeInterpreter
{
    public required string Input { get; init; }
    public required List<CodeOutput> Outputs { get; init; }
}

public sealed record CodeOutput(string Logs)
{
    [JsonPropertyOrder(-1)]
    public string Type => "logs";
}

/// <summary>
/// A file search as a step shows it: the ranking it used (without the tool's hybrid_search, as the
/// live API showed it) and what it found. A result's <c>content</c> is written only when <c>include[]</c>
/// asks for it (<see cref="FileSearchContentConverter"/>).
/// </summary>
public sealed class StepFileSearch
{
    public required StepRanking RankingOptions { get; init; }
    public required List<FileSearchResult> Results { get; init; }
}

public sealed record StepRanking(string Ranker, [property: JsonConverter(typeof(DecimalPointConverter))] double ScoreThreshold);

public sealed class FileSearchResult
{
    public required string FileId { get; init; }
    public required string FileName { get; init; }
    public required double Score { get; init; }
    public JsonElement Attributes => JsonDefaults.EmptyObject;
}

public sealed class StepFunctionCall
{
    public required string Name { get; init; }
    public required string Arguments { get; init; }
    public string? Output { get; set; }
}
