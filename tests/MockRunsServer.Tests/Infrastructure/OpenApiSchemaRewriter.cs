using System.Text.Json.Nodes;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>
/// Turns the OpenAPI 3.0-isms that OpenAI's 3.1 document still carries into plain JSON Schema
/// 2020-12, in place, before any schema is built. Only schema positions are visited (components,
/// response and request bodies, parameters), so examples and <c>x-oaiMeta</c> blobs stay untouched.
/// Other OpenAPI extras (<c>discriminator</c>, <c>example</c>, <c>x-*</c>, <c>format: unixtime</c>)
/// need no rewrite: the validator treats unknown keywords and formats as annotations.
/// </summary>
internal static class OpenApiSchemaRewriter
{
    private static readonly string[] SingleSchemaKeywords =
        ["additionalProperties", "items", "not", "if", "then", "else", "contains", "propertyNames",
         "unevaluatedItems", "unevaluatedProperties", "contentSchema"];

    private static readonly string[] SchemaArrayKeywords = ["allOf", "anyOf", "oneOf", "prefixItems"];

    private static readonly string[] SchemaMapKeywords = ["properties", "patternProperties", "$defs", "dependentSchemas"];

    private static readonly HashSet<string> AnnotationKeywords =
        ["description", "title", "example", "examples", "deprecated", "nullable"];

    private static readonly string[] HttpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    /// <summary>Rewrites every schema of an OpenAPI document.</summary>
    public static void RewriteDocument(JsonObject document)
    {
        if (document["components"]?["schemas"] is JsonObject schemas)
        {
            foreach (var (name, schema) in schemas.ToList())
            {
                RewriteSchema(schema, $"#/components/schemas/{EscapePointer(name)}");
            }
        }

        if (document["components"]?["responses"] is JsonObject responses)
        {
            foreach (var (_, response) in responses)
            {
                RewriteContent(response?["content"]);
            }
        }

        if (document["paths"] is JsonObject paths)
        {
            foreach (var (path, item) in paths)
            {
                foreach (var method in HttpMethods)
                {
                    if (item?[method] is not JsonObject operation)
                    {
                        continue;
                    }

                    var self = $"#/paths/{EscapePointer(path)}/{method}";
                    RewriteContent(operation["requestBody"]?["content"], self);
                    if (operation["responses"] is JsonObject operationResponses)
                    {
                        foreach (var (_, response) in operationResponses)
                        {
                            RewriteContent(response?["content"], self);
                        }
                    }

                    if (operation["parameters"] is JsonArray parameters)
                    {
                        foreach (var parameter in parameters)
                        {
                            RewriteSchema(parameter?["schema"], self);
                        }
                    }
                }
            }
        }
    }

    private static void RewriteContent(JsonNode? content, string self = "#")
    {
        if (content is not JsonObject media)
        {
            return;
        }

        foreach (var (_, entry) in media)
        {
            RewriteSchema(entry?["schema"], self);
        }
    }

    /// <param name="schema">The schema to rewrite, with everything below it.</param>
    /// <param name="recursiveTarget">Where a <c>$recursiveRef: "#"</c> inside it should point.</param>
    public static void RewriteSchema(JsonNode? schema, string recursiveTarget)
    {
        if (schema is not JsonObject obj)
        {
            return;
        }

        // Before the members are rewritten, while {nullable: true} is still recognisable.
        LiftNullableFromAllOf(obj);
        foreach (var keyword in SingleSchemaKeywords)
        {
            RewriteSchema(obj[keyword], recursiveTarget);
        }

        foreach (var keyword in SchemaArrayKeywords)
        {
            if (obj[keyword] is JsonArray list)
            {
                foreach (var member in list)
                {
                    RewriteSchema(member, recursiveTarget);
                }
            }
        }

        foreach (var keyword in SchemaMapKeywords)
        {
            if (obj[keyword] is JsonObject map)
            {
                foreach (var (_, member) in map)
                {
                    RewriteSchema(member, recursiveTarget);
                }
            }
        }

        ReplaceRecursiveRef(obj, recursiveTarget);
        FixBooleanExclusiveBounds(obj, "exclusiveMinimum", "minimum");
        FixBooleanExclusiveBounds(obj, "exclusiveMaximum", "maximum");
        ApplyNullable(obj);
    }

    /// <summary>
    /// <c>allOf: [{$ref: X}, {nullable: true}]</c> means "X or null" (RunObject.truncation_strategy,
    /// RunObject.tool_choice); as written, 2020-12 would read it as plain X. Move the flag up.
    /// </summary>
    private static void LiftNullableFromAllOf(JsonObject obj)
    {
        if (obj["allOf"] is not JsonArray allOf)
        {
            return;
        }

        for (var i = allOf.Count - 1; i >= 0; i--)
        {
            if (allOf[i] is JsonObject member &&
                member["nullable"]?.GetValueKind() == System.Text.Json.JsonValueKind.True &&
                member.All(p => AnnotationKeywords.Contains(p.Key)))
            {
                allOf.RemoveAt(i);
                obj["nullable"] = true;
            }
        }
    }

    /// <summary>
    /// OpenAPI 3.0's <c>nullable: true</c> (RunObject uses it 15 times) is no 2020-12 keyword:
    /// <c>{type: object, nullable: true}</c> would reject null. Widen the type, or wrap the schema
    /// in <c>anyOf [schema, {type: null}]</c> when it has no simple type to widen.
    /// </summary>
    private static void ApplyNullable(JsonObject obj)
    {
        var flag = obj["nullable"];
        if (flag is null)
        {
            return;
        }

        obj.Remove("nullable");
        if (flag.GetValueKind() != System.Text.Json.JsonValueKind.True)
        {
            return;
        }

        var hasCombinator = obj.ContainsKey("$ref") || obj.ContainsKey("allOf") || obj.ContainsKey("anyOf") ||
                            obj.ContainsKey("oneOf") || obj.ContainsKey("not") || obj.ContainsKey("const");
        if (!hasCombinator && obj["type"] is JsonValue type && type.TryGetValue<string>(out var typeName))
        {
            obj["type"] = new JsonArray(typeName, "null");
            if (obj["enum"] is JsonArray values && !values.Any(v => v is null))
            {
                values.Add(null);
            }

            return;
        }

        if (!hasCombinator && obj["type"] is JsonArray types)
        {
            if (!types.Any(t => t?.GetValue<string>() == "null"))
            {
                types.Add("null");
            }

            return;
        }

        var inner = new JsonObject();
        foreach (var (key, value) in obj.ToList())
        {
            if (key is "description" or "title")
            {
                continue;
            }

            obj.Remove(key);
            inner[key] = value;
        }

        obj["anyOf"] = new JsonArray(inner, new JsonObject { ["type"] = "null" });
    }

    /// <summary>
    /// <c>CompoundFilter</c> uses 2019-09's <c>$recursiveRef: "#"</c>. In a 2020-12 evaluation, and
    /// inside a document whose root is not a schema, point it at the component it lives in.
    /// </summary>
    private static void ReplaceRecursiveRef(JsonObject obj, string recursiveTarget)
    {
        obj.Remove("$recursiveAnchor");
        if (obj["$recursiveRef"] is JsonValue recursive && recursive.TryGetValue<string>(out var target))
        {
            obj.Remove("$recursiveRef");
            obj["$ref"] = target == "#" ? recursiveTarget : target;
        }
    }

    /// <summary>OpenAPI 3.0 wrote <c>exclusiveMinimum: true</c> beside <c>minimum</c>; 2020-12 wants the number.</summary>
    private static void FixBooleanExclusiveBounds(JsonObject obj, string exclusive, string inclusive)
    {
        var kind = obj[exclusive]?.GetValueKind();
        if (kind == System.Text.Json.JsonValueKind.True && obj[inclusive] is { } bound)
        {
            obj.Remove(inclusive);
            obj[exclusive] = bound.DeepClone();
        }
        else if (kind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
        {
            obj.Remove(exclusive);
        }
    }

    public static string EscapePointer(string segment) => segment.Replace("~", "~0").Replace("/", "~1");
}
