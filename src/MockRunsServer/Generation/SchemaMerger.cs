using System.Buffers;
using System.Text.Json;

namespace MockRunsServer.Generation;

/// <summary>One schema to merge, with one keyword of it to leave out (the one being resolved).</summary>
internal readonly record struct SchemaPart(JsonElement Schema, string? Skip = null);

/// <summary>
/// Folds several schemas that must all hold (<c>allOf</c>, a <c>$ref</c> with siblings, a chosen
/// <c>anyOf</c> branch with its parent) into one schema the generator can follow.
/// </summary>
/// <remarks>
/// Types intersect (integer inside number), properties unite (a property in several parts gets an
/// <c>allOf</c> of its schemas), required lists unite, <c>additionalProperties: false</c> keeps only
/// the properties every closed part names, enums intersect, numeric bounds and length/count limits
/// take the tighter side, integer <c>multipleOf</c> values combine by least common multiple.
/// Where two parts disagree on something that cannot be combined simply (two patterns, two formats,
/// two tuple layouts) the first part wins. <c>$ref</c>, <c>anyOf</c> and <c>oneOf</c> are kept for the
/// next resolution step; a second occurrence goes under <c>allOf</c> so nothing is lost.
/// </remarks>
internal static class SchemaMerger
{
    private static readonly JsonElement FalseSchema = Parse("false"u8);

    public static JsonElement Merge(ReadOnlySpan<SchemaPart> parts)
    {
        var merged = new Accumulator();
        foreach (var part in parts)
        {
            switch (part.Schema.ValueKind)
            {
                case JsonValueKind.False:
                    return FalseSchema;
                case JsonValueKind.Object:
                    merged.Add(part.Schema, part.Skip);
                    break;
            }
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            merged.Write(writer);
        }

        return Parse(buffer.WrittenSpan);
    }

    private static JsonElement Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        return JsonElement.ParseValue(ref reader);
    }

    private sealed class Accumulator
    {
        private readonly List<string> _propertyOrder = [];
        private readonly Dictionary<string, List<JsonElement>> _properties = new(StringComparer.Ordinal);
        private readonly List<string> _required = [];
        private readonly HashSet<string> _requiredSet = new(StringComparer.Ordinal);
        private readonly List<JsonElement> _items = [];
        private readonly List<JsonElement> _allOf = [];
        private readonly List<(string Keyword, JsonElement Value)> _firstWins = [];
        private JsonTypes _types = JsonTypes.Any;
        private bool _typed;
        private HashSet<string>? _allowedNames;
        private JsonElement? _additionalSchema;
        private List<JsonElement>? _enum;
        private JsonElement? _const;
        private (JsonElement Value, decimal Number, bool Exclusive)? _lower;
        private (JsonElement Value, decimal Number, bool Exclusive)? _upper;
        private readonly List<decimal> _multipleOf = [];
        private readonly Dictionary<string, (int Value, bool TakeMax)> _counts = new(StringComparer.Ordinal);
        private readonly List<string> _countOrder = [];
        private bool _uniqueItems;
        private bool _nullable = true;
        private bool _sawNullable;

        public void Add(JsonElement schema, string? skip)
        {
            HashSet<string>? ownNames = null;
            var closed = false;
            foreach (var property in schema.EnumerateObject())
            {
                var name = property.Name;
                var value = property.Value;
                if (name == skip || SchemaKeywords.IsAnnotation(name))
                {
                    continue;
                }

                switch (name)
                {
                    case "type":
                        AddType(schema);
                        break;
                    case "properties" when value.ValueKind == JsonValueKind.Object:
                        ownNames = [];
                        foreach (var child in value.EnumerateObject())
                        {
                            ownNames.Add(child.Name);
                            if (!_properties.TryGetValue(child.Name, out var list))
                            {
                                _properties[child.Name] = list = [];
                                _propertyOrder.Add(child.Name);
                            }

                            list.Add(child.Value);
                        }

                        break;
                    case "required" when value.ValueKind == JsonValueKind.Array:
                        foreach (var item in value.EnumerateArray())
                        {
                            if (item.ValueKind == JsonValueKind.String && _requiredSet.Add(item.GetString()!))
                            {
                                _required.Add(item.GetString()!);
                            }
                        }

                        break;
                    case "additionalProperties":
                        if (value.ValueKind == JsonValueKind.False)
                        {
                            closed = true;
                        }
                        else if (value.ValueKind == JsonValueKind.Object)
                        {
                            _additionalSchema ??= value;
                        }

                        break;
                    case "enum" when value.ValueKind == JsonValueKind.Array:
                        AddEnum(value);
                        break;
                    case "const":
                        _const ??= value;
                        break;
                    case "minimum" or "exclusiveMinimum" or "maximum" or "exclusiveMaximum":
                        break; // read together below
                    case "multipleOf" when value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var step) && step > 0:
                        _multipleOf.Add(step);
                        break;
                    case "minLength" or "minItems" or "minProperties" or "minContains":
                        AddCount(name, value, takeMax: true);
                        break;
                    case "maxLength" or "maxItems" or "maxProperties" or "maxContains":
                        AddCount(name, value, takeMax: false);
                        break;
                    case "uniqueItems":
                        _uniqueItems |= value.ValueKind == JsonValueKind.True;
                        break;
                    case "items" when value.ValueKind != JsonValueKind.Array:
                        _items.Add(value);
                        break;
                    case "nullable":
                        _sawNullable = true;
                        _nullable &= value.ValueKind == JsonValueKind.True;
                        break;
                    case "allOf" when value.ValueKind == JsonValueKind.Array:
                        foreach (var item in value.EnumerateArray())
                        {
                            _allOf.Add(item);
                        }

                        break;
                    case "$ref" or "anyOf" or "oneOf" or "not":
                        if (!AddFirst(name, value))
                        {
                            _allOf.Add(Wrap(name, value));
                        }

                        break;
                    default:
                        // pattern, format, prefixItems, tuple items, contains, patternProperties, propertyNames,
                        // dependentRequired, dependencies, additionalItems and anything unknown: first wins.
                        AddFirst(name, value);
                        break;
                }
            }

            AddBounds(schema, skip);

            if (closed)
            {
                ownNames ??= [];
                if (_allowedNames is null)
                {
                    _allowedNames = new HashSet<string>(ownNames, StringComparer.Ordinal);
                }
                else
                {
                    _allowedNames.IntersectWith(ownNames);
                }
            }
        }

        public void Write(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            if (_typed)
            {
                WriteTypes(writer);
            }

            if (_propertyOrder.Count > 0)
            {
                writer.WriteStartObject("properties");
                foreach (var name in _propertyOrder)
                {
                    if (_allowedNames is not null && !_allowedNames.Contains(name))
                    {
                        continue;
                    }

                    writer.WritePropertyName(name);
                    WriteAllOf(writer, _properties[name]);
                }

                writer.WriteEndObject();
            }

            if (_required.Count > 0)
            {
                writer.WriteStartArray("required");
                foreach (var name in _required)
                {
                    writer.WriteStringValue(name);
                }

                writer.WriteEndArray();
            }

            if (_allowedNames is not null)
            {
                writer.WriteBoolean("additionalProperties", false);
            }
            else if (_additionalSchema is { } additional)
            {
                writer.WritePropertyName("additionalProperties");
                additional.WriteTo(writer);
            }

            if (_const is { } constant)
            {
                writer.WritePropertyName("const");
                constant.WriteTo(writer);
            }

            if (_enum is not null)
            {
                writer.WriteStartArray("enum");
                foreach (var item in _enum)
                {
                    item.WriteTo(writer);
                }

                writer.WriteEndArray();
            }

            if (_lower is { } lower)
            {
                writer.WritePropertyName(lower.Exclusive ? "exclusiveMinimum" : "minimum");
                lower.Value.WriteTo(writer);
            }

            if (_upper is { } upper)
            {
                writer.WritePropertyName(upper.Exclusive ? "exclusiveMaximum" : "maximum");
                upper.Value.WriteTo(writer);
            }

            if (_multipleOf.Count > 0)
            {
                writer.WriteNumber("multipleOf", CombinedMultipleOf());
            }

            foreach (var name in _countOrder)
            {
                writer.WriteNumber(name, _counts[name].Value);
            }

            if (_uniqueItems)
            {
                writer.WriteBoolean("uniqueItems", true);
            }

            if (_items.Count > 0)
            {
                writer.WritePropertyName("items");
                WriteAllOf(writer, _items);
            }

            if (_sawNullable)
            {
                writer.WriteBoolean("nullable", _nullable);
            }

            foreach (var (keyword, value) in _firstWins)
            {
                writer.WritePropertyName(keyword);
                value.WriteTo(writer);
            }

            if (_allOf.Count > 0)
            {
                writer.WriteStartArray("allOf");
                foreach (var item in _allOf)
                {
                    item.WriteTo(writer);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        private void AddType(JsonElement schema)
        {
            var declared = SchemaKeywords.DeclaredTypes(schema);
            if (declared == JsonTypes.None)
            {
                return;
            }

            // An integer is a number: widen before intersecting so number ∩ integer = integer.
            if (declared.HasFlag(JsonTypes.Number))
            {
                declared |= JsonTypes.Integer;
            }

            var intersection = _types & declared;
            // Contradictory types cannot be satisfied; keep the earlier ones rather than nothing.
            _types = intersection == JsonTypes.None ? _types : intersection;
            _typed = true;
        }

        private void WriteTypes(Utf8JsonWriter writer)
        {
            var types = _types;
            if (types.HasFlag(JsonTypes.Number))
            {
                types &= ~JsonTypes.Integer;
            }

            writer.WriteStartArray("type");
            foreach (var flag in new[] { JsonTypes.String, JsonTypes.Integer, JsonTypes.Number, JsonTypes.Boolean, JsonTypes.Object, JsonTypes.Array, JsonTypes.Null })
            {
                if (types.HasFlag(flag))
                {
                    writer.WriteStringValue(SchemaKeywords.NameOf(flag));
                }
            }

            writer.WriteEndArray();
        }

        private void AddEnum(JsonElement values)
        {
            if (_enum is null)
            {
                _enum = [.. values.EnumerateArray()];
                return;
            }

            var kept = _enum.Where(existing => values.EnumerateArray().Any(candidate => JsonElement.DeepEquals(existing, candidate))).ToList();
            // An empty intersection is unsatisfiable; keep the earlier list so something is generated.
            if (kept.Count > 0)
            {
                _enum = kept;
            }
        }

        private void AddCount(string keyword, JsonElement value, bool takeMax)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number) || number < 0)
            {
                return;
            }

            var count = (int)Math.Min(decimal.Floor(number), int.MaxValue);
            if (!_counts.TryGetValue(keyword, out var existing))
            {
                _countOrder.Add(keyword);
                _counts[keyword] = (count, takeMax);
                return;
            }

            _counts[keyword] = (takeMax ? Math.Max(existing.Value, count) : Math.Min(existing.Value, count), takeMax);
        }

        private void AddBounds(JsonElement schema, string? skip)
        {
            if (skip is "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum")
            {
                return;
            }

            if (SchemaKeywords.Lower(schema) is { } lower)
            {
                var element = BoundElement(schema, lower, "minimum", "exclusiveMinimum");
                if (_lower is not { } current || lower.Value > current.Number || (lower.Value == current.Number && lower.Exclusive))
                {
                    _lower = (element, lower.Value, lower.Exclusive);
                }
            }

            if (SchemaKeywords.Upper(schema) is { } upper)
            {
                var element = BoundElement(schema, upper, "maximum", "exclusiveMaximum");
                if (_upper is not { } current || upper.Value < current.Number || (upper.Value == current.Number && upper.Exclusive))
                {
                    _upper = (element, upper.Value, upper.Exclusive);
                }
            }
        }

        private static JsonElement BoundElement(JsonElement schema, NumericBound bound, string inclusiveKeyword, string exclusiveKeyword)
        {
            // The draft-4 form keeps its number under the inclusive keyword; the 2020 form under the exclusive one.
            if (bound.Exclusive && SchemaKeywords.TryGet(schema, exclusiveKeyword, JsonValueKind.Number, out var exclusive))
            {
                return exclusive;
            }

            return schema.GetProperty(inclusiveKeyword);
        }

        private decimal CombinedMultipleOf()
        {
            var result = _multipleOf[0];
            foreach (var step in _multipleOf.Skip(1))
            {
                if (result == decimal.Truncate(result) && step == decimal.Truncate(step))
                {
                    try
                    {
                        result = result / Gcd(result, step) * step;
                    }
                    catch (OverflowException)
                    {
                        return _multipleOf[0];
                    }
                }
            }

            return result;
        }

        private static decimal Gcd(decimal a, decimal b)
        {
            while (b != 0)
            {
                (a, b) = (b, a % b);
            }

            return a;
        }

        private bool AddFirst(string keyword, JsonElement value)
        {
            foreach (var (existing, _) in _firstWins)
            {
                if (existing == keyword)
                {
                    return false;
                }
            }

            _firstWins.Add((keyword, value));
            return true;
        }

        private static JsonElement Wrap(string keyword, JsonElement value)
        {
            var buffer = new ArrayBufferWriter<byte>(128);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WritePropertyName(keyword);
                value.WriteTo(writer);
                writer.WriteEndObject();
            }

            return Parse(buffer.WrittenSpan);
        }

        private static void WriteAllOf(Utf8JsonWriter writer, List<JsonElement> schemas)
        {
            if (schemas.Count == 1)
            {
                schemas[0].WriteTo(writer);
                return;
            }

            writer.WriteStartObject();
            writer.WriteStartArray("allOf");
            foreach (var schema in schemas)
            {
                schema.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }
}
