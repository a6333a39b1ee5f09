using System.Text.Json;

namespace MockRunsServer.Endpoints;

/// <summary>
/// Request shapes for the Swagger document only: bodies are read and validated by
/// <see cref="Wire.Validation.RequestReaders"/>, which gives OpenAI's exact errors.
/// </summary>
public static partial class Docs
{
    public sealed class CreateAssistantRequest
    {
        public required string Model { get; init; }
        public string? Name { get; init; }
        public string? Description { get; init; }
        public string? Instructions { get; init; }
        public string? ReasoningEffort { get; init; }
        public List<Wire.ToolObject>? Tools { get; init; }
        public JsonElement? ToolResources { get; init; }
        public Dictionary<string, string>? Metadata { get; init; }
        public double? Temperature { get; init; }
        public double? TopP { get; init; }
        public JsonElement? ResponseFormat { get; init; }
    }

    public sealed class ModifyAssistantRequest
    {
        public string? Model { get; init; }
        public string? Name { get; init; }
        public string? Description { get; init; }
        public string? Instructions { get; init; }
        public string? ReasoningEffort { get; init; }
        public List<Wire.ToolObject>? Tools { get; init; }
        public JsonElement? ToolResources { get; init; }
        public Dictionary<string, string>? Metadata { get; init; }
        public double? Temperature { get; init; }
        public double? TopP { get; init; }
        public JsonElement? ResponseFormat { get; init; }
    }

    public sealed class CreateMessageRequest
    {
        public required string Role { get; init; }

        /// <summary>A string, or an array of text / image_url / image_file parts.</summary>
        public required JsonElement Content { get; init; }

        public JsonElement? Attachments { get; init; }
        public Dictionary<string, string>? Metadata { get; init; }
    }

    public sealed class CreateThreadRequest
    {
        public List<CreateMessageRequest>? Messages { get; init; }
        public JsonElement? ToolResources { get; init; }
        public Dictionary<string, string>? Metadata { get; init; }
    }

    public sealed class ModifyThreadRequest
    {
        public JsonElement? ToolResources { get; init; }
        public Dictionary<string, string>? Metadata { get; init; }
    }

    public sealed class ModifyMessageRequest
    {
        public Dictionary<string, string>? Metadata { get; init; }
    }

    public sealed class ModifyRunRequest
    {
        public Dictionary<string, string>? Metadata { get; init; }
    }

    public sealed class CreateRunRequest
    {
        public required string AssistantId { get; init; }
        public string? Model { get; init; }
        public string? ReasoningEffort { get; init; }
        public string? Instructions { get; init; }
        public string? AdditionalInstructions { get; init; }
        public List<CreateMessageRequest>? AdditionalMessages { get; init; }
        public List<Wire.ToolObject>? Tools { get; init; }
        public Dictionary<string, string>? Metadata { get; init; }
        public double? Temperature { get; init; }
        public double? TopP { get; init; }
        public bool? Stream { get; init; }
        public int? MaxPromptTokens { get; init; }
        public int? MaxCompletionTokens { get; init; }
        public Wire.TruncationObject? TruncationStrategy { get; init; }

        /// <summary>"none", "auto", "required", or {"type":"function","function":{"name":"…"}}.</summary>
        public JsonElement? ToolChoice { get; init; }

        public bool? ParallelToolCalls { get; init; }
        public JsonElement? ResponseFormat { get; init; }
    }

    public sealed class CreateThreadAndRunRequest
    {
        public required string AssistantId { get; init; }
        public CreateThreadRequest? Thread { get; init; }
        public string? Model { get; init; }
        public string? Instructions { get; init; }
        public List<Wire.ToolObject>? Tools { get; init; }
        public JsonElement? ToolResources { get; init; }
        public Dictionary<string, string>? Metadata { get; init; }
        public double? Temperature { get; init; }
        public double? TopP { get; init; }
        public bool? Stream { get; init; }
        public int? MaxPromptTokens { get; init; }
        public int? MaxCompletionTokens { get; init; }
        public Wire.TruncationObject? TruncationStrategy { get; init; }
        public JsonElement? ToolChoice { get; init; }
        public bool? ParallelToolCalls { get; init; }
        public JsonElement? ResponseFormat { get; init; }
    }

    public sealed class SubmitToolOutputsRunRequest
    {
        public required List<Wire.ToolOutput> ToolOutputs { get; init; }
        public bool? Stream { get; init; }
    }
}
