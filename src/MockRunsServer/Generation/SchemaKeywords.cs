using System.Text.Json;

namespace MockRunsServer.Generation;

/// <summary>The JSON Schema instance types, as flags so a <c>type</c> array is one value.</summary>
[Flags]
internal enum JsonTypes
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    Number = 16,
    Integer = 32,
    String = 64,
    Any = Null | Boolean | Object | Array | Number | Integer | String,
}

/// <summary>A numeric bound read from <c>minimum</c>/<c>exclusiveMinimum</c> (or the maximum pair).</summary>
internal readonly record struct NumericBound(decimal Value, bool Exclusive);

/// <summary>Reading schema keywords without trusting them to be well formed.</summary>
internal static class SchemaKeywords
{
    /// <summary>Keywords that say nothing about which values are valid.</summary>
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "$comment", "$anchor", "$dynamicAnchor", "$defs", "definitions", "title", "description",
        "default", "examples", "example", "deprecated", "readOnly", "writeOnly", "strict",
    };

    public static bool IsAnnotation(string keyword) => Annotations.Contains(keyword);

    /// <summary>True when the schema constrains nothing once <paramref name="ignored"/> is set aside.</summary>
    public static bool HasOnlyAnnotations(JsonElement schema, string? ignored = null)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return schema.ValueKind is JsonValueKind.True or JsonValueKind.Undefined or JsonValueKind.Null;
        }

        foreach (var property in schema.EnumerateObject())
        {
            if (property.Name != ignored && !Annotations.Contains(property.Name))
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryGet(JsonElement schema, string keyword, out JsonElement value)
    {
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(keyword, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    public static bool TryGet(JsonElement schema, string keyword, JsonValueKind kind, out JsonElement value) =>
        TryGet(schema, keyword, out value) && value.ValueKind == kind;

    public static string? GetString(JsonElement schema, string keyword) =>
        TryGet(schema, keyword, JsonValueKind.String, out var value) ? value.GetString() : null;

    public static decimal? GetDecimal(JsonElement schema, string keyword)
    {
        if (!TryGet(schema, keyword, JsonValueKind.Number, out var value))
        {
            return null;
        }

        if (value.TryGetDecimal(out var result))
        {
            return result;
        }

        // Out of decimal's range: clamp, the value is absurd for a mock either way.
        return value.GetDouble() > 0 ? 1e27m : -1e27m;
    }

    /// <summary>A non-negative count keyword such as <c>minLength</c>, clamped to <paramref name="cap"/>.</summary>
    public static int? GetCount(JsonElement schema, string keyword, int cap)
    {
        var value = GetDecimal(schema, keyword);
        if (value is null)
        {
            return null;
        }

        return (int)Math.Clamp(decimal.Floor(value.Value), 0, cap);
    }

    public static bool GetBool(JsonElement schema, string keyword) =>
        TryGet(schema, keyword, JsonValueKind.True, out _);

    /// <summary>The lower bound, reading both the 2020 numeric and the draft-4 boolean <c>exclusiveMinimum</c>.</summary>
    public static NumericBound? Lower(JsonElement schema) => Bound(schema, "minimum", "exclusiveMinimum", lower: true);

    /// <summary>The upper bound, reading both the 2020 numeric and the draft-4 boolean <c>exclusiveMaximum</c>.</summary>
    public static NumericBound? Upper(JsonElement schema) => Bound(schema, "maximum", "exclusiveMaximum", lower: false);

    private static NumericBound? Bound(JsonElement schema, string inclusiveKeyword, string exclusiveKeyword, bool lower)
    {
        NumericBound? bound = null;
        var inclusive = GetDecimal(schema, inclusiveKeyword);
        if (inclusive is not null)
        {
            bound = new NumericBound(inclusive.Value, GetBool(schema, exclusiveKeyword));
        }

        var exclusive = GetDecimal(schema, exclusiveKeyword);
        if (exclusive is not null)
        {
            var tighter = bound is null || (lower ? exclusive.Value >= bound.Value.Value : exclusive.Value <= bound.Value.Value);
            if (tighter)
            {
                bound = new NumericBound(exclusive.Value, true);
            }
        }

        return bound;
    }

    /// <summary>The types the <c>type</c> keyword allows, or None when it is absent or unreadable.</summary>
    public static JsonTypes DeclaredTypes(JsonElement schema)
    {
        if (!TryGet(schema, "type", out var type))
        {
            return JsonTypes.None;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return TypeNamed(type.GetString());
        }

        var types = JsonTypes.None;
        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in type.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    types |= TypeNamed(item.GetString());
                }
            }
        }

        return types;
    }

    /// <summary>The declared types, or the ones the other keywords imply when <c>type</c> is missing.</summary>
    public static JsonTypes EffectiveTypes(JsonElement schema)
    {
        var declared = DeclaredTypes(schema);
        if (declared != JsonTypes.None)
        {
            return declared;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return JsonTypes.Any;
        }

        foreach (var property in schema.EnumerateObject())
        {
            switch (property.Name)
            {
                case "properties" or "required" or "additionalProperties" or "patternProperties" or "minProperties"
                    or "maxProperties" or "propertyNames" or "dependentRequired" or "dependencies":
                    return JsonTypes.Object;
                case "items" or "prefixItems" or "minItems" or "maxItems" or "uniqueItems" or "contains" or "additionalItems":
                    return JsonTypes.Array;
                case "minLength" or "maxLength" or "pattern" or "format":
                    return JsonTypes.String;
                case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum" or "multipleOf":
                    return JsonTypes.Number;
            }
        }

        return JsonTypes.Any;
    }

    public static JsonTypes TypeNamed(string? name) => name switch
    {
        "null" => JsonTypes.Null,
        "boolean" => JsonTypes.Boolean,
        "object" => JsonTypes.Object,
        "array" => JsonTypes.Array,
        "number" => JsonTypes.Number,
        "integer" => JsonTypes.Integer,
        "string" => JsonTypes.String,
        _ => JsonTypes.None,
    };

    public static string? NameOf(JsonTypes type) => type switch
    {
        JsonTypes.Null => "null",
        JsonTypes.Boolean => "boolean",
        JsonTypes.Object => "object",
        JsonTypes.Array => "array",
        JsonTypes.Number => "number",
        JsonTypes.Integer => "integer",
        JsonTypes.String => "string",
        _ => null,
    };

    /// <summary>Follows a local reference (<c>#</c>, <c>#/$defs/x</c>, <c>#/definitions/x</c>, any JSON pointer) within the root.</summary>
    public static bool TryResolveReference(JsonElement root, string reference, out JsonElement target)
    {
        target = default;
        if (reference.Length == 0 || reference[0] != '#')
        {
            return false;
        }

        string pointer;
        try
        {
            pointer = Uri.UnescapeDataString(reference[1..]);
        }
        catch (UriFormatException)
        {
            return false;
        }

        if (pointer.Length == 0)
        {
            target = root;
            return true;
        }

        if (pointer[0] != '/')
        {
            return false;
        }

        var current = root;
        foreach (var rawSegment in pointer[1..].Split('/'))
        {
            var segment = rawSegment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var index) && index >= 0 && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return false;
            }
        }

        target = current;
        return true;
    }

    /// <summary>Whether a <c>$ref</c> appears anywhere inside, looking at a bounded number of nodes.</summary>
    public static bool ContainsReference(JsonElement schema)
    {
        var budget = 256;
        return Scan(schema, ref budget);

        static bool Scan(JsonElement element, ref int budget)
        {
            if (--budget < 0)
            {
                return true;
            }

            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.Name == "$ref" || Scan(property.Value, ref budget))
                        {
                            return true;
                        }
                    }

                    return false;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        if (Scan(item, ref budget))
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }
    }
}
