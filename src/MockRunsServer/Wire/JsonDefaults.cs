using System.Text.Json;

namespace MockRunsServer.Wire;

/// <summary>Shared, never-mutated JSON values that most objects carry, so a million runs share one copy.</summary>
public static class JsonDefaults
{
    public static readonly JsonElement Auto = Parse("\"auto\"");
    public static readonly JsonElement EmptyObject = Parse("{}");
    public static readonly JsonElement EmptyArray = Parse("[]");
    public static readonly JsonElement EmptyFunctionParameters = Parse("{\"type\":\"object\",\"properties\":{}}");
    public static readonly Dictionary<string, string> EmptyMetadata = new(0);
    public static readonly TruncationObject AutoTruncation = new() { Type = "auto", LastMessages = null };

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
