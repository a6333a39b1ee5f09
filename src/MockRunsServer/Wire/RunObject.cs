using System.Text.Json;

namespace MockRunsServer.Wire;

public sealed class RunObject
{
    public required string Id { get; init; }
    public string Object => "thread.run";
    public required long CreatedAt { get; init; }
    public required string AssistantId { get; init; }
    public required string ThreadId { get; init; }
    public RunStatus Status { get; set; } = RunStatus.Queued;
    public long? StartedAt { get; set; }
    public long? ExpiresAt { get; set; }
    public long? CancelledAt { get; set; }
    public long? FailedAt { get; set; }
    public long? CompletedAt { get; set; }
    public RequiredAction? RequiredAction { get; set; }
    public LastError? LastError { get; set; }
    public required string Model { get; init; }
    public string? Instructions { get; init; }
    public List<ToolObject> Tools { get; init; } = [];
    public JsonElement ToolResources { get; init; } = JsonDefaults.EmptyObject;
    public Dictionary<string, string> Metadata { get; set; } = JsonDefaults.EmptyMetadata;
    public double? Temperature { get; init; } = 1.0;
    public double? TopP { get; init; } = 1.0;
    public string? ReasoningEffort { get; init; }
    public int? MaxCompletionTokens { get; init; }
    public int? MaxPromptTokens { get; init; }
    public TruncationObject TruncationStrategy { get; init; } = JsonDefaults.AutoTruncation;
    public IncompleteDetails? IncompleteDetails { get; set; }
    public UsageObject? Usage { get; set; }
    public JsonElement ResponseFormat { get; init; } = JsonDefaults.Auto;
    public JsonElement ToolChoice { get; init; } = JsonDefaults.Auto;
    public bool ParallelToolCalls { get; init; } = true;
}

public sealed class TruncationObject
{
    public required string Type { get; init; }
    public int? LastMessages { get; init; }
}

public sealed class RequiredAction
{
    public string Type => "submit_tool_outputs";
    public required SubmitToolOutputs SubmitToolOutputs { get; init; }
}

public sealed class SubmitToolOutputs
{
    public required List<RequiredToolCall> ToolCalls { get; init; }
}

public sealed class RequiredToolCall
{
    public required string Id { get; init; }
    public string Type => "function";
    public required FunctionCall Function { get; init; }
}

public sealed class FunctionCall
{
    public required string Name { get; init; }
    public required string Arguments { get; init; }
}

public sealed record LastError(string Code, string Message);

public sealed record UsageObject(int PromptTokens, int CompletionTokens, int TotalTokens)
{
    public static UsageObject Of(int prompt, int completion) => new(prompt, completion, prompt + completion);

    public UsageObject Plus(UsageObject other) => Of(PromptTokens + other.PromptTokens, CompletionTokens + other.CompletionTokens);
}
