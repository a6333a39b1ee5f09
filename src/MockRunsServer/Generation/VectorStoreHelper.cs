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
    public static JsonElement? Resolve(JsonElement? toolResources, MockRandom random, Store.VectorStoreFiles stores)
    {
        if (toolResources is not { ValueKind: JsonValueKind.Object } resources
            || !resources.TryGetProperty("file_search", out var fileSearch)
            || fileSearch.ValueKind != JsonValueKind.Object
            || !fileSearch.TryGetProperty("vector_stores", out var helpers)
            || helpers.ValueKind != JsonValueKind.Array)
        {
            return toolResources;
        }
        // The request named no store besides (validation refuses both), so the ids are the new stores'.
        var ids = new JsonArray();
        foreach (var helper in helpers.EnumerateArray())
        {
            var id = NewStoreId(random);
            stores.Add(id, helper.TryGetProperty("file_ids", out var fileIds) && fileIds.ValueKind == JsonValueKind.Array
                ? fileIds.EnumerateArray().Where(file => file.ValueKind == JsonValueKind.String).Select(file => file.GetString()!)
                : []);
            ids.Add(id);
        }
        var result = JsonNode.Parse(resources.GetRawText())!.AsObject();
        result["file_search"] = new JsonObject { ["vector_store_ids"] = ids };
        return Wire.JsonDefaults.Parse(result.ToJsonString());
    }

    /// <summary>
    /// The thread's tool resources once a message with these attachments is added: with a new vector
    /// store when a file is attached for file_search and the thread has none; null when unchanged.
    /// </summary>
    public static JsonElement? ForAttachments(JsonElement toolResources, JsonElement attachments, MockRandom random, Store.VectorStoreFiles stores)
    {
        var files = FilesForSearch(attachments).ToList();
        if (files.Count == 0)
        {
            return null;
        }
        if (HasVectorStore(toolResources))
        {
            // A later file goes into the thread's store, when it is one made here.
            if (ToolResourceDefaults.VectorStoreIds(toolResources).FirstOrDefault() is { } storeId)
            {
                stores.AddTo(storeId, files);
            }
            return null;
        }
        var id = NewStoreId(random);
        stores.Add(id, files);
        var result = toolResources.ValueKind == JsonValueKind.Object ? JsonNode.Parse(toolResources.GetRawText())!.AsObject() : new JsonObject();
        result["file_search"] = new JsonObject { ["vector_store_ids"] = new JsonArray(id) };
        return Wire.JsonDefaults.Parse(result.ToJsonString());
    }

    /// <summary>A vector store id as OpenAI's look: vs_ and 32 lowercase hex digits.</summary>
    private static string NewStoreId(MockRandom random) => random.NewHexId("vs", 32);

    /// <summary>The ids of the files these attachments give to file_search, in order.</summary>
    public static IEnumerable<string> FilesForSearch(JsonElement attachments) => FilesAttachedFor(attachments, "file_search");

    /// <summary>The ids of the files these attachments give to <paramref name="tool"/>, in order.</summary>
    public static IEnumerable<string> FilesAttachedFor(JsonElement attachments, string tool)
    {
        if (attachments.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }
        foreach (var attachment in attachments.EnumerateArray())
        {
            if (attachment.ValueKind == JsonValueKind.Object && attachment.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array
                && attachment.TryGetProperty("file_id", out var fileId) && fileId.ValueKind == JsonValueKind.String)
            {
                foreach (var entry in tools.EnumerateArray())
                {
                    if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == tool)
                    {
                        yield return fileId.GetString()!;
                        break;
                    }
                }
            }
        }
    }

    public static bool HasVectorStore(JsonElement toolResources) =>
        toolResources.ValueKind == JsonValueKind.Object
        && toolResources.TryGetProperty("file_search", out var fileSearch)
        && fileSearch.ValueKind == JsonValueKind.Object
        && fileSearch.TryGetProperty("vector_store_ids", out var ids)
        && ids.ValueKind == JsonValueKind.Array
        && ids.GetArrayLength() > 0;
}
