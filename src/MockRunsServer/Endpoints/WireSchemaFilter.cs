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

    /// <summary>The shapes of the fields kept as raw JSON, as OpenAI's spec gives them (each a new schema: the filter may change it).</summary>
    private static readonly Dictionary<string, Func<OpenApiSchema>> Shapes = new(StringComparer.Ordinal)
    {
        ["tool_choice"] = () => OneOf("none, auto or required; or a tool the run must call.",
            Strings("none", "auto", "required"),
            Object(["type"], ("type", Strings("function", "file_search", "code_interpreter")), ("function", Object(["name"], ("name", Text()))))),
        ["response_format"] = () => OneOf("auto; or the format the assistant's message must have.",
            Strings("auto"),
            Object(["type"], ("type", Strings("text", "json_object", "json_schema")),
                ("json_schema", Object(["name"], ("name", Text()), ("description", Text()), ("schema", JsonSchemaObject()), ("strict", new OpenApiSchema { Type = JsonSchemaType.Boolean | JsonSchemaType.Null }))))),
        ["tool_resources"] = () => Object([],
            ("code_interpreter", Object([], ("file_ids", Array(Text(), maxItems: 20)))),
            ("file_search", Object([], ("vector_store_ids", Array(Text(), maxItems: 1)),
                ("vector_stores", Array(Object([], ("file_ids", Array(Text())), ("chunking_strategy", new OpenApiSchema { Type = JsonSchemaType.Object }),
                    ("metadata", new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = Text() })), maxItems: 1,
                    description: "Only when creating an assistant or a thread: a vector store made of these files (instead of vector_store_ids)."))))),
        ["content"] = () => OneOf("The text; or its parts.",
            Text(),
            Array(Object(["type"], ("type", Strings("text", "image_file", "image_url")), ("text", Text()),
                ("image_file", Object(["file_id"], ("file_id", Text()), ("detail", Strings("auto", "low", "high")))),
                ("image_url", Object(["url"], ("url", Text()), ("detail", Strings("auto", "low", "high"))))))),
        ["attachments"] = () => Array(Object([], ("file_id", Text()), ("tools", Array(Object(["type"], ("type", Strings("code_interpreter", "file_search"))))))),
        ["parameters"] = JsonSchemaObject,
    };

    private const string StepUsage = "RunStepCompletionUsage";

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String };

    private static OpenApiSchema Strings(params string[] values) =>
        new() { Type = JsonSchemaType.String, Enum = values.Select(value => (JsonNode)JsonValue.Create(value)).ToList() };

    private static OpenApiSchema Array(IOpenApiSchema items, int? maxItems = null, string? description = null) =>
        new() { Type = JsonSchemaType.Array, Items = items, MaxItems = maxItems, Description = description };

    private static OpenApiSchema JsonSchemaObject() =>
        new() { Type = JsonSchemaType.Object, Description = "A JSON Schema object.", AdditionalProperties = new OpenApiSchema() };

    private static OpenApiSchema OneOf(string description, params IOpenApiSchema[] choices) => new() { Description = description, OneOf = choices.ToList() };

    private static OpenApiSchema Object(string[] required, params (string Name, IOpenApiSchema Schema)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = properties.ToDictionary(property => property.Name, property => property.Schema, StringComparer.Ordinal),
        Required = required.ToHashSet(StringComparer.Ordinal),
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
        if (type == typeof(Wire.RunStepObject) && properties.TryGetValue("usage", out var usage)
            && usage is OpenApiSchema { AllOf: [OpenApiSchemaReference { Reference.Id: { } runUsage }] } nullableUsage
            && context.SchemaRepository.Schemas.TryGetValue(runUsage, out var definition) && definition is OpenApiSchema)
        {
            // One .NET type for both usages; OpenAI's spec names a step's RunStepCompletionUsage and a run's RunCompletionUsage.
            if (!context.SchemaRepository.Schemas.ContainsKey(StepUsage))
            {
                context.SchemaRepository.AddDefinition(StepUsage, (OpenApiSchema)definition.CreateShallowCopy());
            }
            nullableUsage.AllOf = [new OpenApiSchemaReference(StepUsage)];
        }
        foreach (var (name, shape) in Shapes)
        {
            // A field read or written as raw JSON (a JsonElement) is documented as {} (anything): say what it takes.
            if (properties.TryGetValue(name, out var property) && property is OpenApiSchema { Type: null or JsonSchemaType.Null, OneOf: null or { Count: 0 }, Properties: null or { Count: 0 } } raw)
            {
                var typed = shape();
                if (raw.Type is JsonSchemaType.Null)
                {
                    typed.Type = typed.Type is { } kind ? kind | JsonSchemaType.Null : JsonSchemaType.Null;
                    // OpenAPI 3.0 ignores nullable beside oneOf without a type: null must pass one of the choices.
                    if (typed.OneOf?.OfType<OpenApiSchema>().FirstOrDefault(choice => choice.Type == JsonSchemaType.Object) is { } objectChoice)
                    {
                        objectChoice.Type |= JsonSchemaType.Null;
                    }
                }
                typed.ReadOnly = raw.ReadOnly;
                properties[name] = typed;
            }
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
