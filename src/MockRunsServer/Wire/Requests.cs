using System.Text.Json;

namespace MockRunsServer.Wire;

// Requests after validation. Unset optional fields are null; the request readers in
// Endpoints/RequestReaders.cs build them and produce OpenAI's errors for bad input.

public sealed record AssistantFields(
    string? Model,
    Optional<string?> Name,
    Optional<string?> Description,
    Optional<string?> Instructions,
    Optional<string?> ReasoningEffort,
    List<ToolObject>? Tools,
    JsonElement? ToolResources,
    Dictionary<string, string>? Metadata,
    Optional<double?> Temperature,
    Optional<double?> TopP,
    JsonElement? ResponseFormat);

public sealed record NewMessage(string Role, MessageContent[] Content, JsonElement? Attachments, Dictionary<string, string>? Metadata);

public sealed record NewThread(List<NewMessage> Messages, JsonElement? ToolResources, Dictionary<string, string>? Metadata);

public sealed record ThreadFields(JsonElement? ToolResources, Dictionary<string, string>? Metadata);

public sealed record RunFields(
    string AssistantId,
    string? Model,
    string? Instructions,
    string? AdditionalInstructions,
    List<NewMessage>? AdditionalMessages,
    List<ToolObject>? Tools,
    JsonElement? ToolResources,
    Dictionary<string, string>? Metadata,
    double? Temperature,
    double? TopP,
    string? ReasoningEffort,
    int? MaxPromptTokens,
    int? MaxCompletionTokens,
    TruncationObject? TruncationStrategy,
    JsonElement? ToolChoice,
    bool? ParallelToolCalls,
    JsonElement? ResponseFormat,
    bool Stream)
{
    /// <summary>include[] asked for the file search results' content: the run's streams send its steps with it.</summary>
    public bool IncludeFileSearchContent { get; init; }
}

public sealed record ToolOutput(string ToolCallId, string Output);

/// <summary>A field that may be absent, or present with a value (null included) — modify requests need the difference.</summary>
public readonly record struct Optional<T>(bool IsSet, T Value)
{
    public static readonly Optional<T> Unset = default;

    public static Optional<T> Of(T value) => new(true, value);

    public T Or(T fallback) => IsSet ? Value : fallback;
}
