using System.Text.Json;
using System.Text.Json.Nodes;
using MockRunsServer.Wire;

namespace MockRunsServer.Generation;

/// <summary>
/// An assistant with the code_interpreter tool and no files for it shows an empty file list under
/// <c>tool_resources.code_interpreter</c>, as the live API answered, rather than no entry.
/// </summary>
public static class ToolResourceDefaults
{
    private static readonly JsonElement EmptyCodeInterpreter = JsonDefaults.Parse("""{"code_interpreter":{"file_ids":[]}}""");

    /// <summary>The file ids these tool resources give to code_interpreter.</summary>
    public static IEnumerable<string> CodeInterpreterFiles(JsonElement toolResources)
    {
        if (toolResources.ValueKind != JsonValueKind.Object
            || !toolResources.TryGetProperty("code_interpreter", out var code) || code.ValueKind != JsonValueKind.Object
            || !code.TryGetProperty("file_ids", out var ids) || ids.ValueKind != JsonValueKind.Array)
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
