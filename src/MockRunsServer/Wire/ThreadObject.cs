using System.Text.Json;

namespace MockRunsServer.Wire;

public sealed class ThreadObject
{
    public required string Id { get; init; }
    public string Object => "thread";
    public required long CreatedAt { get; init; }
    public Dictionary<string, string> Metadata { get; set; } = JsonDefaults.EmptyMetadata;
    public JsonElement ToolResources { get; set; } = JsonDefaults.EmptyObject;
}
