using System.Text.Json;
using System.Text.Json.Nodes;
using MockRunsServer.Generation;
using MockRunsServer.Wire;

namespace MockRunsServer.Store;

/// <summary>
/// <c>tool_resources</c> as the real API kept them: the ids each tool is given, the vector stores
/// its helper and a message's attachments make (their files kept in <see cref="VectorStoreFiles"/>),
/// and the entries it filled in.
/// </summary>
public static class ToolResources
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

    /// <summary>For an assistant with the code_interpreter tool and no files for it: the empty file list under <c>code_interpreter</c> the live API showed, rather than no entry.</summary>
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

    /// <summary>
    /// The <c>file_search.vector_stores</c> helper of a create request: the real API creates one vector
    /// store per entry and answers with only its id in <c>vector_store_ids</c> (the helper itself is never
    /// echoed), so SDKs reading <c>vector_store_ids</c> find it.
    /// </summary>
    public static JsonElement? ResolveVectorStoreHelper(JsonElement? toolResources, MockRandom random, VectorStoreFiles stores)
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
        return JsonDefaults.Parse(result.ToJsonString());
    }

    /// <summary>
    /// The thread's tool resources once a message with these attachments is added: with a new vector
    /// store when a file is attached for file_search and the thread has none; null when unchanged.
    /// </summary>
    public static JsonElement? ForAttachments(JsonElement toolResources, JsonElement attachments, MockRandom random, VectorStoreFiles stores)
    {
        var files = FilesForSearch(attachments).ToList();
        if (files.Count == 0)
        {
            return null;
        }
        if (HasVectorStore(toolResources))
        {
            // A later file goes into the thread's store, when it is one made here.
            if (VectorStoreIds(toolResources).FirstOrDefault() is { } storeId)
            {
                stores.AddTo(storeId, files);
            }
            return null;
        }
        var id = NewStoreId(random);
        stores.Add(id, files);
        var result = toolResources.ValueKind == JsonValueKind.Object ? JsonNode.Parse(toolResources.GetRawText())!.AsObject() : new JsonObject();
        result["file_search"] = new JsonObject { ["vector_store_ids"] = new JsonArray(id) };
        return JsonDefaults.Parse(result.ToJsonString());
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

    public static bool HasVectorStore(JsonElement toolResources) => VectorStoreIds(toolResources).Any();
}
