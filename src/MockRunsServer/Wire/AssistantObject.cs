using System.Text.Json;
using System.Text.Json.Serialization;

namespace MockRunsServer.Wire;

public sealed class AssistantObject : Store.ISequenced
{
    [JsonIgnore] public long Seq { get; init; } = Store.Sequence.Next();

    public bool HasId(ReadOnlySpan<char> id) => id.SequenceEqual(Id);

    public required string Id { get; init; }
    public string Object => "assistant";
    public required long CreatedAt { get; init; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public required string Model { get; set; }
    public string? Instructions { get; set; }
    public List<ToolObject> Tools { get; set; } = [];
    [JsonConverter(typeof(DecimalPointConverter))]
    public double? TopP { get; set; } = 1.0;
    [JsonConverter(typeof(DecimalPointConverter))]
    public double? Temperature { get; set; } = 1.0;
    public string? ReasoningEffort { get; set; }
    public JsonElement ToolResources { get; set; } = JsonDefaults.EmptyObject;
    public Dictionary<string, string> Metadata { get; set; } = JsonDefaults.EmptyMetadata;
    public JsonElement ResponseFormat { get; set; } = JsonDefaults.Auto;
}

/// <summary>An entry of <c>tools</c>: code_interpreter, file_search or function.</summary>
public sealed class ToolObject
{
    public required string Type { get; init; }

    private readonly FileSearchOptions? fileSearch;

    /// <summary>A file_search tool's settings; the defaults when none are held (a state saved before they were echoed in full).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FileSearchOptions? FileSearch { get => fileSearch ?? (Type == "file_search" ? FileSearchOptions.Default : null); init => fileSearch = value; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FunctionObject? Function { get; init; }
}

/// <summary>
/// A file_search tool's settings as the live API echoes them: ranking options always (the default
/// ranker and a threshold of 0.0 when none were given) with a null hybrid_search; max_num_results
/// only when given.
/// </summary>
public sealed class FileSearchOptions
{
    public static readonly FileSearchOptions Default = new();

    private readonly FileSearchRanking? rankingOptions;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxNumResults { get; init; }

    /// <summary>A state saved before the echo was filled in has none: read back as the default.</summary>
    public FileSearchRanking RankingOptions { get => rankingOptions ?? FileSearchRanking.Default; init => rankingOptions = value; }
}

public sealed class FileSearchRanking
{
    public static readonly FileSearchRanking Default = new();

    private readonly string? ranker;

    /// <summary>Not required when read back, so a state saved before the echo was filled in still loads.</summary>
    public string Ranker { get => ranker ?? "default_2024_08_21"; init => ranker = value; }

    [JsonConverter(typeof(DecimalPointConverter))]
    public double ScoreThreshold { get; init; }

    /// <summary>Always null here; the live API writes it.</summary>
    public JsonElement? HybridSearch => null;
}

public sealed class FunctionObject
{
    public required string Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    public JsonElement Parameters { get; init; } = JsonDefaults.EmptyFunctionParameters;
    public bool Strict { get; init; }
}

/// <summary>What deleting an assistant answers.</summary>
public sealed record DeleteAssistantResponse(string Id)
{
    public string Object => "assistant.deleted";
    public bool Deleted => true;
}

/// <summary>What deleting a thread answers.</summary>
public sealed record DeleteThreadResponse(string Id)
{
    public string Object => "thread.deleted";
    public bool Deleted => true;
}

/// <summary>What deleting a message answers.</summary>
public sealed record DeleteMessageResponse(string Id)
{
    public string Object => "thread.message.deleted";
    public bool Deleted => true;
}
