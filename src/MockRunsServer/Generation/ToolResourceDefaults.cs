using System.Text.Json;
using System.Text.Json.Nodes;
using MockRunsServer.Wire;

namespace MockRunsServer.Generation;

/// <summary>
/// Reading and completing <c>tool_resources</c>: the ids each tool is given, and, for an assistant
/// with the code_interpreter tool and no files for it, the empty file list the live API showed under
/// <c>tool_resources.code_interpreter</c> rather than no entry.
/// </summary>
public static class ToolResourceDefaults
{
    private static readonly JsonElement EmptyCodeInterpreter = JsonDefaults.Parse("""{"code_interpreter":{"file_ids":[]}}""");

    /// <summary>The file ids these tool resources give to code_interpreter.</summary>
    public static IEnumerable<string> CodeInterpreterFiles(JsonElement toolResources) => Ids(toolResources, "code_interpreter", "file_ids");

    /// <summary>The vector store ids these tool resources give to file_search.</summary>
    public static IEnumerable<string> VectorStoreIds(JsonElement toolResources) => Ids(toolResources, "file_search", "vector_store_ids");

    /// <summary>The ids listed under <c>{tool}.{list}</c>, skipping anything that is not a string.</summary>
    private static IEnumerable<string> Ids(JsonElement toolResources, string tool, string list)
    {
        if (toolResources.ValueKind != JsonValueKind.Object
            || !toolResources.TryGetProperty(tool, out var entry) || entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty(list, out var ids) || ids.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }
        foreach (var id in ids.EnumerateArray())
        {
            if (id.ValueKind == JsonValueKind.String)
            {
                yield return id.GetString()!;
            }
        }
    }

    public static JsonElement ForTools(JsonElement toolResources, List<ToolObject> tools)
    {
        if (!tools.Exists(tool => tool.Type == "code_interpreter")
            || toolResources.ValueKind != JsonValueKind.Object
            || toolResources.TryGetProperty("code_interpreter", out _))
        {
            return toolResources;
        }
        if (!toolResources.EnumerateObject().Any())
        {
            return EmptyCodeInterpreter;
        }
        var result = JsonNode.Parse(toolResources.GetRawText())!.AsObject();
        result["code_interpreter"] = new JsonObject { ["file_ids"] = new JsonArray() };
        return JsonDefaults.Parse(result.ToJsonString());
    }
}
