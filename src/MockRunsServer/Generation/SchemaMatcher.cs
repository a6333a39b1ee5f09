using System.Text.Json;

namespace MockRunsServer.Generation;

/// <summary>
/// A small JSON Schema validator for the generator's own checks: whether an enum member fits the
/// rest of its schema, and whether a value made for one <c>oneOf</c> branch also fits another.
/// </summary>
/// <remarks>
/// Checks type, enum, const, numeric bounds (both forms of exclusive), multipleOf, string length and
/// pattern, array length, items, prefixItems, uniqueItems, contains, object required, properties,
/// patternProperties, additionalProperties, property counts, local $ref, allOf, anyOf, oneOf and not.
/// Keywords it does not know (format among them) count as satisfied.
/// </remarks>
internal static class SchemaMatcher
{
    private const int MaxDepth = 32;

    /// <summary>Schema visits per check; recursive combinators could otherwise multiply without end.</summary>
    private const int VisitBudget = 1_024;

    /// <summary>Whether the value fits; past the depth or visit limits the answer is a conservative yes.</summary>
    public static bool Matches(JsonElement value, JsonElement schema, JsonElement root)
    {
        var budget = new Budget { Remaining = VisitBudget };
        return Matches(value, schema, root, 0, budget);
    }

    private sealed class Budget
    {
        public int Remaining { get; set; }
    }

    private static bool Matches(JsonElement value, JsonElement schema, JsonElement root, int depth, Budget budget)
    {
        if (depth > MaxDepth || --budget.Remaining < 0)
        {
            return true;
        }

        switch (schema.ValueKind)
        {
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Object:
                break;
            default:
                return true;
        }

        if (SchemaKeywords.GetString(schema, "$ref") is { } reference
            && SchemaKeywords.TryResolveReference(root, reference, out var target)
            && !Matches(value, target, root, depth + 1, budget))
        {
            return false;
        }

        var declared = SchemaKeywords.DeclaredTypes(schema);
        if (declared != JsonTypes.None && (declared & TypeOf(value)) == JsonTypes.None)
        {
            return false;
        }

        if (SchemaKeywords.TryGet(schema, "const", out var constant) && !JsonElement.DeepEquals(value, constant))
        {
            return false;
        }

        if (SchemaKeywords.TryGet(schema, "enum", JsonValueKind.Array, out var members) && !members.EnumerateArray().Any(m => JsonElement.DeepEquals(value, m)))
        {
            return false;
        }

        var fits = value.ValueKind switch
        {
            JsonValueKind.Number => NumberFits(value, schema),
            JsonValueKind.String => StringFits(value.GetString()!, schema),
            JsonValueKind.Array => ArrayFits(value, schema, root, depth, budget),
            JsonValueKind.Object => ObjectFits(value, schema, root, depth, budget),
            _ => true,
        };

        return fits && CombinatorsFit(value, schema, root, depth, budget);
    }

    private static JsonTypes TypeOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => JsonTypes.Null,
        JsonValueKind.True or JsonValueKind.False => JsonTypes.Boolean,
        JsonValueKind.Object => JsonTypes.Object,
        JsonValueKind.Array => JsonTypes.Array,
        JsonValueKind.String => JsonTypes.String,
        JsonValueKind.Number => IsInteger(value) ? JsonTypes.Number | JsonTypes.Integer : JsonTypes.Number,
        _ => JsonTypes.None,
    };

    private static bool IsInteger(JsonElement number)
    {
        if (number.TryGetDecimal(out var d))
        {
            return d == decimal.Truncate(d);
        }

        var x = number.GetDouble();
        return double.IsFinite(x) && Math.Floor(x) == x;
    }

    private static bool NumberFits(JsonElement value, JsonElement schema)
    {
        if (!value.TryGetDecimal(out var number))
        {
            return true;
        }

        if (SchemaKeywords.Lower(schema) is { } lower && (lower.Exclusive ? number <= lower.Value : number < lower.Value))
        {
            return false;
        }

        if (SchemaKeywords.Upper(schema) is { } upper && (upper.Exclusive ? number >= upper.Value : number > upper.Value))
        {
            return false;
        }

        if (SchemaKeywords.GetDecimal(schema, "multipleOf") is { } step && step > 0)
        {
            try
            {
                return number % step == 0;
            }
            catch (OverflowException)
            {
                return true;
            }
        }

        return true;
    }

    private static bool StringFits(string value, JsonElement schema)
    {
        var length = MockRunsServer.Wire.CodePoints.Count(value);
        if (SchemaKeywords.GetCount(schema, "minLength", int.MaxValue) is { } min && length < min)
        {
            return false;
        }

        if (SchemaKeywords.GetCount(schema, "maxLength", int.MaxValue) is { } max && length > max)
        {
            return false;
        }

        return SchemaKeywords.GetString(schema, "pattern") is not { } pattern || PatternMatcher.IsMatch(pattern, value) != false;
    }

    private static bool ArrayFits(JsonElement value, JsonElement schema, JsonElement root, int depth, Budget budget)
    {
        var length = value.GetArrayLength();
        if (SchemaKeywords.GetCount(schema, "minItems", int.MaxValue) is { } min && length < min)
        {
            return false;
        }

        if (SchemaKeywords.GetCount(schema, "maxItems", int.MaxValue) is { } max && length > max)
        {
            return false;
        }

        var prefixLength = 0;
        if (SchemaKeywords.TryGet(schema, "prefixItems", JsonValueKind.Array, out var prefix)
            || SchemaKeywords.TryGet(schema, "items", JsonValueKind.Array, out prefix))
        {
            prefixLength = prefix.GetArrayLength();
        }

        SchemaKeywords.TryGet(schema, "items", out var items);
        if (items.ValueKind == JsonValueKind.Array)
        {
            SchemaKeywords.TryGet(schema, "additionalItems", out items);
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemSchema = index < prefixLength ? prefix[index] : items;
            if (itemSchema.ValueKind != JsonValueKind.Undefined && !Matches(item, itemSchema, root, depth + 1, budget))
            {
                return false;
            }

            index++;
        }

        if (SchemaKeywords.GetBool(schema, "uniqueItems"))
        {
            for (var i = 0; i < length; i++)
            {
                for (var j = i + 1; j < length; j++)
                {
                    if (JsonElement.DeepEquals(value[i], value[j]))
                    {
                        return false;
                    }
                }
            }
        }

        if (SchemaKeywords.TryGet(schema, "contains", out var contains)
            && !value.EnumerateArray().Any(item => Matches(item, contains, root, depth + 1, budget)))
        {
            return false;
        }

        return true;
    }

    private static bool ObjectFits(JsonElement value, JsonElement schema, JsonElement root, int depth, Budget budget)
    {
        if (SchemaKeywords.TryGet(schema, "required", JsonValueKind.Array, out var required))
        {
            foreach (var name in required.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String && !value.TryGetProperty(name.GetString()!, out _))
                {
                    return false;
                }
            }
        }

        SchemaKeywords.TryGet(schema, "properties", JsonValueKind.Object, out var properties);
        SchemaKeywords.TryGet(schema, "patternProperties", JsonValueKind.Object, out var patternProperties);
        SchemaKeywords.TryGet(schema, "additionalProperties", out var additional);
        var count = 0;
        foreach (var property in value.EnumerateObject())
        {
            count++;
            var covered = false;
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                covered = true;
                if (!Matches(property.Value, propertySchema, root, depth + 1, budget))
                {
                    return false;
                }
            }

            if (patternProperties.ValueKind == JsonValueKind.Object)
            {
                foreach (var pattern in patternProperties.EnumerateObject())
                {
                    if (PatternMatcher.IsMatch(pattern.Name, property.Name) == true)
                    {
                        covered = true;
                        if (!Matches(property.Value, pattern.Value, root, depth + 1, budget))
                        {
                            return false;
                        }
                    }
                }
            }

            if (!covered && additional.ValueKind != JsonValueKind.Undefined && !Matches(property.Value, additional, root, depth + 1, budget))
            {
                return false;
            }
        }

        if (SchemaKeywords.GetCount(schema, "minProperties", int.MaxValue) is { } min && count < min)
        {
            return false;
        }

        return SchemaKeywords.GetCount(schema, "maxProperties", int.MaxValue) is not { } max || count <= max;
    }

    private static bool CombinatorsFit(JsonElement value, JsonElement schema, JsonElement root, int depth, Budget budget)
    {
        if (SchemaKeywords.TryGet(schema, "allOf", JsonValueKind.Array, out var allOf)
            && !allOf.EnumerateArray().All(branch => Matches(value, branch, root, depth + 1, budget)))
        {
            return false;
        }

        if (SchemaKeywords.TryGet(schema, "anyOf", JsonValueKind.Array, out var anyOf)
            && !anyOf.EnumerateArray().Any(branch => Matches(value, branch, root, depth + 1, budget)))
        {
            return false;
        }

        if (SchemaKeywords.TryGet(schema, "oneOf", JsonValueKind.Array, out var oneOf)
            && oneOf.EnumerateArray().Count(branch => Matches(value, branch, root, depth + 1, budget)) != 1)
        {
            return false;
        }

        return !SchemaKeywords.TryGet(schema, "not", out var not) || !Matches(value, not, root, depth + 1, budget);
    }
}
