using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace MockRunsServer.Endpoints;

/// <summary>
/// Makes the Swagger schemas of the wire objects say what the answers do: every field of a
/// resource is always written (null included), so every field is required, as in OpenAI's spec;
/// <c>object</c> is a constant; and the string fields with a fixed set of values (in answers and in the request
/// shapes of <see cref="Docs"/>) list them.
/// </summary>
public sealed class WireSchemaFilter : ISchemaFilter
{
    private static readonly Dictionary<(string Type, string Property), string[]> Values = new()
    {
        [("RunStepObject", "type")] = ["message_creation", "tool_calls"],
        [("RunStepObject", "status")] = ["in_progress", "cancelled", "failed", "completed", "expired"],
        [("MessageObject", "status")] = ["in_progress", "incomplete", "completed"],
        [("MessageObject", "role")] = ["user", "assistant"],
        [("LastError", "code")] = ["server_error", "rate_limit_exceeded", "invalid_prompt"],
        [("TruncationObject", "type")] = ["auto", "last_messages"],
        [("CreateMessageRequest", "role")] = ["user", "assistant"],
        [("ToolObject", "type")] = ["code_interpreter", "file_search", "function"],
        [("StepToolCall", "type")] = ["function", "file_search", "code_interpreter"],
        [("FileSearchRanking", "ranker")] = ["auto", "default_2024_08_21"],
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        var type = context.Type;
        if (schema is not OpenApiSchema concrete || concrete.Properties is not { Count: > 0 } properties)
        {
            return;
        }
        if (type == typeof(Wire.FileSearchResult))
        {
            // Written by FileSearchContentConverter, only when include[] asks for it.
            properties["content"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "Only with include[]=step_details.tool_calls[*].file_search.results[*].content: the text the search found.",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("text")] },
                        ["text"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                    Required = new HashSet<string> { "type", "text" },
                },
            };
        }
        foreach (var ((owner, name), values) in Values)
        {
            if (owner == type.Name && properties.TryGetValue(name, out var property) && property is OpenApiSchema field)
            {
                field.Enum = values.Select(value => (JsonNode)JsonValue.Create(value)).ToList();
            }
        }
        // Only the resources themselves (those with a constant `object`): the parts they share with
        // request bodies (a truncation strategy, a tool) have optional fields there.
        if (type.Namespace != typeof(Wire.RunObject).Namespace || type.GetProperty("Object") is not { PropertyType.Name: "String", CanWrite: false } objectProperty
            || !properties.TryGetValue("object", out var objectSchema) || objectSchema is not OpenApiSchema constant)
        {
            return;
        }
        var optional = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.WhenWritingNull })
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
            .ToHashSet(StringComparer.Ordinal);
        concrete.Required = properties.Keys.Where(name => !optional.Contains(name)).ToHashSet(StringComparer.Ordinal);
        if (objectProperty.GetValue(RuntimeHelpers.GetUninitializedObject(type)) is string value)
        {
            constant.Enum = [JsonValue.Create(value)];
        }
    }
}
