using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MockRunsServer.Wire.Validation;

/// <summary>
/// What OpenAI checked in a function's parameters and a json_schema response format before taking
/// them, with its messages: an object schema at the root, JSON Schema's own type names throughout,
/// and with <c>strict: true</c> the Structured Outputs subset (every object closed, every property
/// required, every schema typed). OpenAI validates in Python, so the values a message quotes are
/// written as Python prints them ('any', None, ('properties', 'city')).
/// </summary>
internal static class SchemaRules
{
    private static readonly HashSet<string> TypeNames = new(StringComparer.Ordinal)
    {
        "null", "boolean", "object", "array", "number", "integer", "string",
    };

    /// <summary>Keywords whose value is one schema.</summary>
    private static readonly string[] OneSchemaKeywords =
    [
        "items", "additionalProperties", "additionalItems", "not", "if", "then", "else", "contains",
        "propertyNames", "unevaluatedProperties", "unevaluatedItems",
    ];

    /// <summary>Keywords whose value is a list of schemas.</summary>
    private static readonly string[] SchemaListKeywords = ["anyOf", "allOf", "oneOf", "prefixItems", "items"];

    /// <summary>Keywords whose value maps names to schemas.</summary>
    private static readonly string[] SchemaMapKeywords = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];

    /// <summary>
    /// Throws OpenAI's 400 when <paramref name="schema"/> breaks a rule. <paramref name="subject"/>
    /// names it as the messages do ("function 'lookup'", "response_format 'trip'"). An empty schema
    /// (<c>{}</c>) stands for "no parameters" and passes.
    /// </summary>
    public static void Check(JsonElement schema, string subject, bool strict, string param, string code)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.EnumerateObject().Any())
        {
            return;
        }
        var fail = (string problem) => new ApiError(400, $"Invalid schema for {subject}: {problem}", param, code);
        if (!schema.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object")
        {
            var got = type.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "None"
                : type.ValueKind == JsonValueKind.String ? type.GetString()
                : Python(type);
            throw fail($"schema must be a JSON Schema of 'type: \"object\"', got 'type: \"{got}\"'.");
        }
        CheckTypeNames(schema, fail);
        if (strict)
        {
            CheckStrict(schema, [], fail);
        }
    }

    /// <summary>Every <c>type</c>, at any depth, names JSON Schema types (the meta-schema's rule).</summary>
    private static void CheckTypeNames(JsonElement schema, Func<string, ApiError> fail)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (schema.TryGetProperty("type", out var type) && !IsTypeName(type))
        {
            throw fail($"{Python(type)} is not valid under any of the given schemas.");
        }
        foreach (var subschema in Subschemas(schema))
        {
            CheckTypeNames(subschema.Schema, fail);
        }
    }

    private static bool IsTypeName(JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => TypeNames.Contains(type.GetString()!),
        JsonValueKind.Array => type.GetArrayLength() > 0
            && type.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String && TypeNames.Contains(item.GetString()!))
            && type.EnumerateArray().Select(item => item.GetString()).Distinct(StringComparer.Ordinal).Count() == type.GetArrayLength(),
        _ => false,
    };

    /// <summary>The Structured Outputs subset: what <c>strict: true</c> requires of every schema reached.</summary>
    private static void CheckStrict(JsonElement schema, List<object> context, Func<string, ApiError> fail)
    {
        if (schema.ValueKind != JsonValueKind.Object || schema.TryGetProperty("$ref", out _))
        {
            return;
        }
        var where = $"In context={PythonTuple(context)}, ";
        var hasType = schema.TryGetProperty("type", out var type);
        if (!hasType && !schema.TryGetProperty("anyOf", out _))
        {
            throw fail(where + "schema must have a 'type' key.");
        }
        if (hasType && Names(type, "object"))
        {
            if (!schema.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
            {
                throw fail(where + "'additionalProperties' is required to be supplied and to be false.");
            }
            var properties = schema.TryGetProperty("properties", out var map) && map.ValueKind == JsonValueKind.Object
                ? map.EnumerateObject().Select(property => property.Name).ToList()
                : [];
            var required = schema.TryGetProperty("required", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!).ToList()
                : [];
            const string RequiredRule = "'required' is required to be supplied and to be an array including every key in properties.";
            if (properties.FirstOrDefault(name => !required.Contains(name, StringComparer.Ordinal)) is { } missing)
            {
                throw fail($"{where}{RequiredRule} Missing '{missing}'.");
            }
            if (required.FirstOrDefault(name => !properties.Contains(name, StringComparer.Ordinal)) is { } extra)
            {
                throw fail($"{where}{RequiredRule} Extra required key '{extra}' supplied.");
            }
        }
        foreach (var subschema in Subschemas(schema))
        {
            CheckStrict(subschema.Schema, [.. context, .. subschema.Path], fail);
        }
    }

    private static bool Names(JsonElement type, string name) => type.ValueKind switch
    {
        JsonValueKind.String => type.GetString() == name,
        JsonValueKind.Array => type.EnumerateArray().Any(item => item.ValueKind == JsonValueKind.String && item.GetString() == name),
        _ => false,
    };

    /// <summary>The schemas a schema holds, each with its path from there (for strict mode's context).</summary>
    private static IEnumerable<(JsonElement Schema, object[] Path)> Subschemas(JsonElement schema)
    {
        foreach (var keyword in SchemaMapKeywords)
        {
            if (schema.TryGetProperty(keyword, out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in map.EnumerateObject())
                {
                    yield return (entry.Value, [keyword, entry.Name]);
                }
            }
        }
        foreach (var keyword in OneSchemaKeywords)
        {
            if (schema.TryGetProperty(keyword, out var value) && value.ValueKind == JsonValueKind.Object)
            {
                yield return (value, [keyword]);
            }
        }
        foreach (var keyword in SchemaListKeywords)
        {
            if (schema.TryGetProperty(keyword, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    yield return (item, [keyword, index++]);
                }
            }
        }
    }

    /// <summary>A JSON value as Python's repr prints the value it parses to.</summary>
    private static string Python(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => PythonString(value.GetString()!),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "None",
        JsonValueKind.Array => "[" + string.Join(", ", value.EnumerateArray().Select(Python)) + "]",
        JsonValueKind.Object => "{" + string.Join(", ", value.EnumerateObject().Select(property => $"{PythonString(property.Name)}: {Python(property.Value)}")) + "}",
        _ => value.GetRawText(),
    };

    private static string PythonString(string text) =>
        text.Contains('\'') && !text.Contains('"') ? $"\"{text}\"" : $"'{text.Replace("'", "\\'", StringComparison.Ordinal)}'";

    /// <summary>A path as a Python tuple: <c>()</c>, <c>('items',)</c>, <c>('properties', 'city')</c>, <c>('anyOf', 0)</c>.</summary>
    private static string PythonTuple(List<object> path)
    {
        var text = new StringBuilder("(");
        for (var i = 0; i < path.Count; i++)
        {
            text.Append(i > 0 ? ", " : "");
            text.Append(path[i] is int index ? index.ToString(CultureInfo.InvariantCulture) : PythonString((string)path[i]));
        }
        return text.Append(path.Count == 1 ? ",)" : ")").ToString();
    }
}
