using System.Text.Json;
using System.Text.Json.Serialization;

namespace MockRunsServer.Wire;

public sealed class RunObject
{
    private long startedAt = Packed.NoLong;
    private long expiresAt = Packed.NoLong;
    private long cancelledAt = Packed.NoLong;
    private long failedAt = Packed.NoLong;
    private long completedAt = Packed.NoLong;
    private double temperature = 1.0;
    private double topP = 1.0;
    private int maxCompletionTokens = Packed.NoInt;
    private int maxPromptTokens = Packed.NoInt;

    public required string Id { get; init; }
    public string Object => "thread.run";
    public required long CreatedAt { get; init; }
    public required string AssistantId { get; init; }
    public required string ThreadId { get; init; }
    public RunStatus Status { get; set; } = RunStatus.Queued;
    public long? StartedAt { get => Packed.Get(startedAt); set => startedAt = Packed.Set(value); }
    public long? ExpiresAt { get => Packed.Get(expiresAt); set => expiresAt = Packed.Set(value); }
    public long? CancelledAt { get => Packed.Get(cancelledAt); set => cancelledAt = Packed.Set(value); }
    public long? FailedAt { get => Packed.Get(failedAt); set => failedAt = Packed.Set(value); }
    public long? CompletedAt { get => Packed.Get(completedAt); set => completedAt = Packed.Set(value); }
    public RequiredAction? RequiredAction { get; set; }
    public LastError? LastError { get; set; }
    public required string Model { get; init; }
    public string? Instructions { get; init; }
    public List<ToolObject> Tools { get; init; } = [];
    public JsonElement ToolResources { get; init; } = JsonDefaults.EmptyObject;
    public Dictionary<string, string> Metadata { get; set; } = JsonDefaults.EmptyMetadata;
    [JsonConverter(typeof(DecimalPointConverter))]
    public double? Temperature { get => Packed.Get(temperature); init => temperature = Packed.Set(value); }
    [JsonConverter(typeof(DecimalPointConverter))]
    public double? TopP { get => Packed.Get(topP); init => topP = Packed.Set(value); }
    public string? ReasoningEffort { get; init; }
    public int? MaxCompletionTokens { get => Packed.Get(maxCompletionTokens); init => maxCompletionTokens = Packed.Set(value); }
    public int? MaxPromptTokens { get => Packed.Get(maxPromptTokens); init => maxPromptTokens = Packed.Set(value); }
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

public readonly record struct UsageObject(int PromptTokens, int CompletionTokens, int TotalTokens)
{
    public static UsageObject Of(int prompt, int completion) => new(prompt, completion, prompt + completion);

    /// <summary>
    /// Sent by the live API on every run's and step's usage though the spec leaves it out (spelled
    /// "token", not "tokens", there); nothing is cached here.
    /// </summary>
    public PromptTokenDetails PromptTokenDetails => PromptTokenDetails.None;

    /// <summary>Sent by the live API beside <see cref="PromptTokenDetails"/>; no model here reasons.</summary>
    public CompletionTokensDetails CompletionTokensDetails => CompletionTokensDetails.None;

    public UsageObject Plus(UsageObject other) => Of(PromptTokens + other.PromptTokens, CompletionTokens + other.CompletionTokens);
}

public sealed class PromptTokenDetails
{
    public static readonly PromptTokenDetails None = new();

    public int CachedTokens => 0;
}

public sealed class CompletionTokensDetails
{
    public static readonly CompletionTokensDetails None = new();

    public int ReasoningTokens => 0;
}
