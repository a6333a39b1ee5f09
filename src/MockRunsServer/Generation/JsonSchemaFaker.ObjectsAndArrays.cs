using System.Text;
using System.Text.Json;

namespace MockRunsServer.Generation;

/// <summary>Objects and arrays: which properties and how many items, their names, dependencies and unique items.</summary>
public sealed partial class JsonSchemaFaker
{
    private void WriteObject(Utf8JsonWriter writer, JsonElement schema, Walk walk)
    {
        SchemaKeywords.TryGet(schema, "properties", JsonValueKind.Object, out var properties);
        SchemaKeywords.TryGet(schema, "patternProperties", JsonValueKind.Object, out var patternProperties);
        SchemaKeywords.TryGet(schema, "additionalProperties", out var additional);
        var closed = additional.ValueKind == JsonValueKind.False;
        var minProperties = SchemaKeywords.GetCount(schema, "minProperties", 1_000) ?? 0;
        var maxProperties = SchemaKeywords.GetCount(schema, "maxProperties", int.MaxValue) ?? int.MaxValue;

        var required = new List<string>();
        var requiredSet = new HashSet<string>(StringComparer.Ordinal);
        if (SchemaKeywords.TryGet(schema, "required", JsonValueKind.Array, out var requiredList))
        {
            foreach (var item in requiredList.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && requiredSet.Add(item.GetString()!))
                {
                    required.Add(item.GetString()!);
                }
            }
        }

        var chosen = new List<string>();
        var chosenSet = new HashSet<string>(StringComparer.Ordinal);
        var optionalRoom = maxProperties - required.Count;
        if (properties.ValueKind == JsonValueKind.Object)
        {
            // Schema order reads naturally; optional properties come with even odds while there is room.
            foreach (var property in properties.EnumerateObject())
            {
                var isRequired = requiredSet.Contains(property.Name);
                if (isRequired || (!walk.IsDeep && optionalRoom > 0 && _random.Bool()))
                {
                    if (chosenSet.Add(property.Name))
                    {
                        chosen.Add(property.Name);
                        optionalRoom -= isRequired ? 0 : 1;
                    }
                }
            }
        }

        foreach (var name in required)
        {
            if (chosenSet.Add(name))
            {
                chosen.Add(name);
            }
        }

        AddDependencies(schema, chosen, chosenSet);

        if (chosen.Count < minProperties && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (chosen.Count >= minProperties)
                {
                    break;
                }

                if (chosenSet.Add(property.Name))
                {
                    chosen.Add(property.Name);
                }
            }
        }

        if (!closed)
        {
            // A map-like object (no named properties, a schema for the rest) gets a few entries of its own.
            var mapLike = properties.ValueKind != JsonValueKind.Object
                && (additional.ValueKind == JsonValueKind.Object || patternProperties.ValueKind == JsonValueKind.Object);
            var extras = mapLike && !walk.IsDeep ? _random.Number(1, 3) : 0;
            extras = Math.Min(Math.Max(extras, minProperties - chosen.Count), maxProperties - chosen.Count);
            for (var i = 0; i < extras; i++)
            {
                var name = ExtraPropertyName(schema, patternProperties, chosenSet, walk);
                if (name is not null)
                {
                    chosenSet.Add(name);
                    chosen.Add(name);
                }
            }
        }

        writer.WriteStartObject();
        foreach (var name in chosen)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, SchemaForProperty(name, properties, patternProperties, additional), name, walk);
        }

        writer.WriteEndObject();
    }

    /// <summary><c>dependentRequired</c> (and draft-7 <c>dependencies</c> with name lists): present names bring theirs.</summary>
    private static void AddDependencies(JsonElement schema, List<string> chosen, HashSet<string> chosenSet)
    {
        if (!SchemaKeywords.TryGet(schema, "dependentRequired", JsonValueKind.Object, out var dependencies)
            && !SchemaKeywords.TryGet(schema, "dependencies", JsonValueKind.Object, out dependencies))
        {
            return;
        }

        for (var i = 0; i < chosen.Count; i++)
        {
            if (dependencies.TryGetProperty(chosen[i], out var needed) && needed.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in needed.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String && chosenSet.Add(item.GetString()!))
                    {
                        chosen.Add(item.GetString()!);
                    }
                }
            }
        }
    }

    private string? ExtraPropertyName(JsonElement schema, JsonElement patternProperties, HashSet<string> taken, Walk walk)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            string candidate;
            if (patternProperties.ValueKind == JsonValueKind.Object && patternProperties.EnumerateObject().FirstOrDefault() is { Name: { } pattern })
            {
                candidate = MakePatternString(pattern, 1, 40, name: null, format: null);
            }
            else if (SchemaKeywords.TryGet(schema, "propertyNames", out var propertyNames) && propertyNames.ValueKind == JsonValueKind.Object)
            {
                candidate = MakeString(Resolve(propertyNames, walk, pickOneOf: true), name: null);
            }
            else
            {
                candidate = attempt < 4 ? _values.Word() : _values.Word() + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static JsonElement SchemaForProperty(string name, JsonElement properties, JsonElement patternProperties, JsonElement additional)
    {
        if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var declared))
        {
            return declared;
        }

        if (patternProperties.ValueKind == JsonValueKind.Object)
        {
            foreach (var pattern in patternProperties.EnumerateObject())
            {
                if (PatternMatcher.IsMatch(pattern.Name, name) == true)
                {
                    return pattern.Value;
                }
            }
        }

        return additional.ValueKind is JsonValueKind.Object or JsonValueKind.True ? additional : TrueSchema;
    }

    private void WriteArray(Utf8JsonWriter writer, JsonElement schema, string? name, Walk walk)
    {
        var prefix = Array.Empty<JsonElement>();
        SchemaKeywords.TryGet(schema, "items", out var items);
        if (SchemaKeywords.TryGet(schema, "prefixItems", JsonValueKind.Array, out var prefixItems))
        {
            prefix = [.. prefixItems.EnumerateArray()];
        }
        else if (items.ValueKind == JsonValueKind.Array)
        {
            prefix = [.. items.EnumerateArray()]; // draft-4 tuple form; the rest follow additionalItems
            SchemaKeywords.TryGet(schema, "additionalItems", out items);
        }

        var restForbidden = items.ValueKind == JsonValueKind.False;
        SchemaKeywords.TryGet(schema, "contains", out var contains);
        var minItems = SchemaKeywords.GetCount(schema, "minItems", ValueBudget) ?? 0;
        var maxItems = SchemaKeywords.GetCount(schema, "maxItems", ValueBudget) ?? ValueBudget;
        if (contains.ValueKind != JsonValueKind.Undefined)
        {
            minItems = Math.Max(minItems, 1);
        }

        int count;
        if (walk.IsDeep)
        {
            count = minItems;
        }
        else
        {
            var typical = Math.Max(Math.Max(minItems, 1) + 2, prefix.Length);
            count = _random.Number(minItems, Math.Max(minItems, Math.Min(maxItems, typical)));
        }

        if (restForbidden)
        {
            count = Math.Min(count, prefix.Length);
        }

        var containsAt = contains.ValueKind != JsonValueKind.Undefined && count > 0 ? _random.Number(0, count - 1) : -1;
        var itemName = Singular(name);
        var seen = SchemaKeywords.GetBool(schema, "uniqueItems") ? new HashSet<string>(StringComparer.Ordinal) : null;

        writer.WriteStartArray();
        for (var i = 0; i < count && !walk.IsExhausted; i++)
        {
            var itemSchema = i < prefix.Length ? prefix[i] : items.ValueKind == JsonValueKind.Undefined ? TrueSchema : items;
            if (i == containsAt)
            {
                itemSchema = SchemaKeywords.HasOnlyAnnotations(itemSchema)
                    ? contains
                    : SchemaMerger.Merge([new SchemaPart(itemSchema), new SchemaPart(contains)]);
            }

            if (seen is null)
            {
                WriteValue(writer, itemSchema, itemName, walk);
                continue;
            }

            // uniqueItems: redraw a repeated value a few times; compact text stands in for JSON equality.
            byte[] item = [];
            var unique = false;
            for (var attempt = 0; attempt < 32 && !unique && (attempt == 0 || walk.TryRetry()); attempt++)
            {
                item = WriteDetached(itemSchema, itemName, walk);
                unique = seen.Add(Encoding.UTF8.GetString(item));
            }

            if (!unique && i >= minItems)
            {
                break; // the item schema has run out of distinct values; a shorter array is still valid
            }

            writer.WriteRawValue(item, skipInputValidation: true);
        }

        writer.WriteEndArray();
    }

    /// <summary>The name an item of a plural-named array would have: "cities" gives "city".</summary>
    private static string? Singular(string? name)
    {
        if (name is null || name.Length < 3)
        {
            return name;
        }

        if (name.EndsWith("ies", StringComparison.OrdinalIgnoreCase))
        {
            return name[..^3] + "y";
        }

        if (name.EndsWith("sses", StringComparison.OrdinalIgnoreCase) || name.EndsWith("xes", StringComparison.OrdinalIgnoreCase))
        {
            return name[..^2];
        }

        return name.EndsWith('s') && !name.EndsWith("ss", StringComparison.Ordinal) ? name[..^1] : name;
    }
}
