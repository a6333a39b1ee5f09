using System.Text.Json;
using System.Text.Json.Nodes;

namespace MockRunsServer.Generation;

/// <summary>
/// The <c>file_search.vector_stores</c> helper of a create request: the real API creates one vector
/// store per entry and answers with only its id in <c>vector_store_ids</c> (the helper itself is never
/// echoed), so SDKs reading <c>vector_store_ids</c> find it.
/// </summary>
public static class VectorStoreHelper
{
    public static JsonElement? Resolve(JsonElement? toolResources, MockRandom random)
    {
        if (toolResources is not { ValueKind: JsonValueKind.Object } resources
            || !resources.TryGetProperty("file_search", out var fileSearch)
            || fileSearch.ValueKind != JsonValueKind.Object
            || !fileSearch.TryGetProperty("vector_stores", out var helpers)
            || helpers.ValueKind != JsonValueKind.Array)
        {
            return toolResources;
        }
        var ids = new JsonArray();
        if (fileSearch.TryGetProperty("vector_store_ids", out var given) && given.ValueKind == JsonValueKind.Array)
        {
            foreach (var id in given.EnumerateArray())
            {
                ids.Add(id.GetString());
            }
        }
        for (var i = 0; i < helpers.GetArrayLength(); i++)
        {
            ids.Add(random.NewId("vs"));
        }
        var result = JsonNode.Parse(resources.GetRawText())!.AsObject();
        result["file_search"] = new JsonObject { ["vector_store_ids"] = ids };
        return Wire.JsonDefaults.Parse(result.ToJsonString());
    }
}
