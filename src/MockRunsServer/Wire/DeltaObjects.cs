using System.Text.Json;
using System.Text.Json.Serialization;

namespace MockRunsServer.Wire;

// Delta objects exist only in streams. The SDKs merge deltas by concatenating strings, so only
// the first piece of a text part carries `annotations`, and only a tool call's first piece
// carries its id, name and null output (spec/runs.md §9.4, §9.7). Keys are ordered as the live API sent them.

public sealed record MessageDelta(string Id, [property: JsonPropertyOrder(1)] MessageDeltaBody Delta)
{
    public string Object => "thread.message.delta";

    /// <summary>A piece of text: the first carries <c>annotations</c> (empty), as does the piece that completes a citation (with it).</summary>
    public static MessageDelta TextPiece(string messageId, string piece, bool first, FileCitationAnnotation? citation = null) =>
        new(messageId, new MessageDeltaBody([new MessageDeltaContent(0, new TextDelta(piece,
            citation is not null ? [AnnotationDelta.Of(0, citation)] : first ? [] : null))]));
}

/// <summary>A citation as a delta carries it: with its index among the part's annotations and an empty quote.</summary>
public sealed record AnnotationDelta([property: JsonPropertyOrder(-2)] int Index, string Text, int StartIndex, int EndIndex, AnnotationDeltaCitation FileCitation)
{
    [JsonPropertyOrder(-1)]
    public string Type => "file_citation";

    public static AnnotationDelta Of(int index, FileCitationAnnotation citation) =>
        new(index, citation.Text, citation.StartIndex, citation.EndIndex, new AnnotationDeltaCitation(citation.FileCitation.FileId, string.Empty));
}

public sealed record AnnotationDeltaCitation(string FileId, string Quote);

public sealed record MessageDeltaBody(IReadOnlyList<MessageDeltaContent> Content);

public sealed record MessageDeltaContent(int Index, [property: JsonPropertyOrder(1)] TextDelta Text)
{
    public string Type => "text";
}

public sealed record TextDelta(
    string Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AnnotationDelta>? Annotations);

public sealed record StepDelta(string Id, [property: JsonPropertyOrder(1)] StepDeltaBody Delta)
{
    public string Object => "thread.run.step.delta";

    private static readonly JsonElement NoOutput = JsonDefaults.Parse("null");

    /// <summary>A call's first delta (id, name, empty arguments, null output) and then its arguments in a few pieces.</summary>
    public static IEnumerable<StepDelta> ToolCallPieces(string stepId, int index, StepToolCall call)
    {
        var function = call.Function!;
        yield return Of(stepId, new ToolCallDelta(index, call.Id, new FunctionDelta(function.Name, string.Empty, NoOutput)));
        var arguments = function.Arguments;
        var size = Math.Max(8, arguments.Length / 3);
        for (var start = 0; start < arguments.Length; start += size)
        {
            var piece = arguments.Substring(start, Math.Min(size, arguments.Length - start));
            yield return Of(stepId, new ToolCallDelta(index, null, new FunctionDelta(null, piece, null)));
        }
    }

    /// <summary>
    /// Code the run writes and runs: its first delta (id, empty input, no outputs), the input in a few
    /// pieces, then the outputs, which the SDKs merge by index.
    /// </summary>
    public static IEnumerable<StepDelta> CodePieces(string stepId, int index, StepToolCall call)
    {
        var code = call.CodeInterpreter!;
        yield return Of(stepId, new ToolCallDelta(index, call.Id, null) { CodeInterpreter = new CodeDelta(string.Empty, []) });
        var input = code.Input;
        var size = Math.Max(8, input.Length / 3);
        for (var start = 0; start < input.Length;)
        {
            var end = Math.Min(input.Length, start + size);
            // Never between the halves of a surrogate pair: each half alone would be written as U+FFFD.
            if (end < input.Length && char.IsHighSurrogate(input[end - 1]))
            {
                end++;
            }
            yield return Of(stepId, new ToolCallDelta(index, null, null) { CodeInterpreter = new CodeDelta(input[start..end], null) });
            start = end;
        }
        yield return Of(stepId, new ToolCallDelta(index, null, null)
        {
            CodeInterpreter = new CodeDelta(null, code.Outputs.Select((output, i) => new CodeOutputDelta(i, output.Logs)).ToList()),
        });
    }

    /// <summary>A file search's one delta, as the live API sent it: the call with its ranking and no results yet.</summary>
    public static StepDelta FileSearchCall(string stepId, int index, StepToolCall call) =>
        Of(stepId, new ToolCallDelta(index, call.Id, null) { FileSearch = new StepFileSearch { RankingOptions = call.FileSearch!.RankingOptions, Results = [] } });

    private static StepDelta Of(string stepId, ToolCallDelta call) =>
        new(stepId, new StepDeltaBody(new StepDeltaDetails([call])));
}

public sealed record StepDeltaBody(StepDeltaDetails StepDetails);

public sealed record StepDeltaDetails([property: JsonPropertyOrder(1)] IReadOnlyList<ToolCallDelta> ToolCalls)
{
    public string Type => "tool_calls";
}

public sealed record ToolCallDelta(
    int Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonPropertyOrder(1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FunctionDelta? Function)
{
    public string Type => FileSearch is not null ? "file_search" : CodeInterpreter is not null ? "code_interpreter" : "function";

    [JsonPropertyOrder(1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StepFileSearch? FileSearch { get; init; }

    [JsonPropertyOrder(1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CodeDelta? CodeInterpreter { get; init; }
}

public sealed record CodeDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Input,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CodeOutputDelta>? Outputs);

public sealed record CodeOutputDelta(int Index, [property: JsonPropertyOrder(2)] string Logs)
{
    [JsonPropertyOrder(1)]
    public string Type => "logs";
}

public sealed record FunctionDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    string Arguments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Output);
