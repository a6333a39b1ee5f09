using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bogus;

namespace MockRunsServer.Generation;

/// <summary>
/// Makes JSON values that satisfy a JSON Schema: the arguments of a function tool call, or the
/// content of a message whose response format is <c>json_schema</c>.
/// </summary>
/// <remarks>
/// All randomness comes from the <see cref="Randomizer"/> given at construction, so the same seed
/// and the same schemas give the same values. An instance is not meant for concurrent use: the
/// randomizer's sequence is the session's, and callers draw from it in order.
/// Supported keywords, and what is approximated, are listed in the remarks of the parts:
/// <see cref="SchemaMerger"/> (allOf), <see cref="RegexPattern"/> (pattern), <see cref="PlausibleValues"/> (formats).
/// </remarks>
public sealed partial class JsonSchemaFaker
{
    /// <summary>Past this nesting, objects get only required properties and arrays only their minimum items.</summary>
    private const int SoftDepth = 8;

    /// <summary>Past this many <c>$ref</c> expansions on one path, recursion is cut short the same way.</summary>
    private const int SoftReferenceDepth = 3;

    /// <summary>Past this nesting a minimal value is written whatever the schema asks, so nothing recurses for ever.</summary>
    private const int HardDepth = 48;

    /// <summary>References followed on one path before a schema is treated as unconstrained.</summary>
    private const int HardReferenceDepth = 64;

    /// <summary>Values per call before everything left is written minimally (guards schemas that multiply out).</summary>
    private const int ValueBudget = 20_000;

    /// <summary>
    /// Characters of strings per call before everything left is written minimally: long strings times
    /// many items would otherwise make arguments of hundreds of megabytes, past what JSON can write.
    /// </summary>
    private const int CharacterBudget = 1_000_000;

    /// <summary>Redraws per call, for oneOf overlaps and repeated unique items, shared by the whole value.</summary>
    private const int RetryBudget = 256;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Relaxed escaping keeps "O'Brien" and "café" readable; the output is JSON text, never HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonElement TrueSchema = ParseStatic("true"u8);

    private readonly Randomizer _random;
    private readonly PlausibleValues _values;

    public JsonSchemaFaker(Randomizer random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
        _values = PlausibleValues.For(random);
    }

    /// <summary>
    /// Compact JSON text that validates against <paramref name="schema"/>. A missing, empty or
    /// annotation-only schema gives <c>{}</c>, as a function without parameters takes no arguments.
    /// Never throws: a schema that cannot be followed gives a best-effort value, <c>{}</c> at worst.
    /// </summary>
    public string Generate(JsonElement schema)
    {
        if (SchemaKeywords.HasOnlyAnnotations(schema))
        {
            return "{}";
        }

        try
        {
            var walk = new Walk(schema);
            return Encoding.UTF8.GetString(WriteDetached(schema, name: null, walk));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return "{}";
        }
    }

    /// <summary>Where the generator is within one <see cref="Generate"/> call.</summary>
    private sealed class Walk(JsonElement root)
    {
        public JsonElement Root { get; } = root;
        public int Depth { get; set; }
        public int ReferenceDepth { get; set; }
        public int Values { get; set; }
        public long Characters { get; set; }

        /// <summary>Takes one redraw from the shared allowance; false once it is spent.</summary>
        public bool TryRetry() => Retries++ < RetryBudget && !IsExhausted;

        private int Retries { get; set; }

        /// <summary>True once recursion should wind down: only what the schema requires from here on.</summary>
        public bool IsDeep => Depth >= SoftDepth || ReferenceDepth >= SoftReferenceDepth;

        public bool IsExhausted => Depth >= HardDepth || Values > ValueBudget || Characters > CharacterBudget;
    }

    private byte[] WriteDetached(JsonElement schema, string? name, Walk walk)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteValue(writer, schema, name, walk);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WriteValue(Utf8JsonWriter writer, JsonElement schema, string? name, Walk walk)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var savedReferenceDepth = walk.ReferenceDepth;
        walk.Depth++;
        walk.Values++;
        try
        {
            schema = Resolve(schema, walk, pickOneOf: false);
            if (walk.IsExhausted)
            {
                WriteMinimal(writer, schema);
                return;
            }

            switch (schema.ValueKind)
            {
                case JsonValueKind.Object:
                    break;
                case JsonValueKind.False:
                    writer.WriteNullValue(); // nothing is valid; null is as good as anything
                    return;
                default:
                    WriteAnything(writer, name);
                    return;
            }

            if (SchemaKeywords.TryGet(schema, "oneOf", JsonValueKind.Array, out var oneOf) && oneOf.GetArrayLength() > 0)
            {
                WriteOneOf(writer, schema, oneOf, name, walk);
                return;
            }

            if (SchemaKeywords.TryGet(schema, "const", out var constant))
            {
                WriteCounted(writer, constant, walk);
                return;
            }

            if (SchemaKeywords.TryGet(schema, "enum", JsonValueKind.Array, out var members) && members.GetArrayLength() > 0)
            {
                WriteEnumMember(writer, schema, members, walk);
                return;
            }

            var types = SchemaKeywords.EffectiveTypes(schema);
            if (SchemaKeywords.GetBool(schema, "nullable"))
            {
                types |= JsonTypes.Null; // OpenAPI 3.0 style
            }

            switch (ChooseType(types, walk))
            {
                case JsonTypes.Null:
                    writer.WriteNullValue();
                    break;
                case JsonTypes.Boolean:
                    writer.WriteBooleanValue(_random.Bool());
                    break;
                case JsonTypes.Object:
                    WriteObject(writer, schema, walk);
                    break;
                case JsonTypes.Array:
                    WriteArray(writer, schema, name, walk);
                    break;
                case JsonTypes.Integer:
                    WriteInteger(writer, schema, name);
                    break;
                case JsonTypes.Number:
                    WriteNumber(writer, schema, name);
                    break;
                case JsonTypes.String:
                    var text = MakeString(schema, name);
                    walk.Characters += text.Length;
                    writer.WriteStringValue(text);
                    break;
                default:
                    WriteAnything(writer, name);
                    break;
            }
        }
        finally
        {
            walk.Depth--;
            walk.ReferenceDepth = savedReferenceDepth;
        }
    }

    /// <summary>
    /// Turns <c>$ref</c>, <c>allOf</c> and <c>anyOf</c> (and <c>oneOf</c> when asked) into one plain
    /// schema: references are followed within the root, conjunctions merged, one branch chosen.
    /// </summary>
    private JsonElement Resolve(JsonElement schema, Walk walk, bool pickOneOf)
    {
        for (var step = 0; step < 32 && schema.ValueKind == JsonValueKind.Object; step++)
        {
            if (SchemaKeywords.TryGet(schema, "$ref", out var reference))
            {
                if (++walk.ReferenceDepth > HardReferenceDepth)
                {
                    return TrueSchema;
                }

                var target = reference.ValueKind == JsonValueKind.String
                    && SchemaKeywords.TryResolveReference(walk.Root, reference.GetString()!, out var found)
                        ? Resolve(found, walk, pickOneOf: false)
                        : TrueSchema; // remote or unknown references: anything goes
                schema = SchemaKeywords.HasOnlyAnnotations(schema, "$ref")
                    ? target
                    : SchemaMerger.Merge([new SchemaPart(schema, "$ref"), new SchemaPart(target)]);
                continue;
            }

            if (SchemaKeywords.TryGet(schema, "allOf", out var allOf))
            {
                var parts = new List<SchemaPart> { new(schema, "allOf") };
                if (allOf.ValueKind == JsonValueKind.Array)
                {
                    foreach (var branch in allOf.EnumerateArray())
                    {
                        parts.Add(new SchemaPart(Resolve(branch, walk, pickOneOf: true)));
                    }
                }

                schema = SchemaMerger.Merge(parts.ToArray());
                continue;
            }

            if (SchemaKeywords.TryGet(schema, "anyOf", out var anyOf))
            {
                schema = WithBranch(schema, "anyOf", ChooseBranch(anyOf, walk));
                continue;
            }

            if (pickOneOf && SchemaKeywords.TryGet(schema, "oneOf", out var oneOf))
            {
                schema = WithBranch(schema, "oneOf", ChooseBranch(oneOf, walk));
                continue;
            }

            break;
        }

        return schema;
    }

    private static JsonElement WithBranch(JsonElement schema, string keyword, JsonElement branch) =>
        SchemaKeywords.HasOnlyAnnotations(schema, keyword)
            ? branch
            : SchemaMerger.Merge([new SchemaPart(schema, keyword), new SchemaPart(branch)]);

    /// <summary>A random branch; once deep, one without references if there is one, so recursion ends.</summary>
    private JsonElement ChooseBranch(JsonElement branches, Walk walk)
    {
        if (branches.ValueKind != JsonValueKind.Array || branches.GetArrayLength() == 0)
        {
            return TrueSchema;
        }

        if (walk.IsDeep)
        {
            var flat = branches.EnumerateArray().Where(b => !SchemaKeywords.ContainsReference(b)).ToArray();
            if (flat.Length > 0)
            {
                return flat[_random.Number(0, flat.Length - 1)];
            }
        }

        return branches[_random.Number(0, branches.GetArrayLength() - 1)];
    }

    /// <summary>
    /// Tries branches in a random order until a value fits its branch and no other one, so
    /// <c>oneOf</c> holds exactly; if every try overlaps another branch the last value stands.
    /// </summary>
    private void WriteOneOf(Utf8JsonWriter writer, JsonElement schema, JsonElement oneOf, string? name, Walk walk)
    {
        var branches = oneOf.EnumerateArray().ToArray();
        var order = _random.Shuffle(Enumerable.Range(0, branches.Length)).ToArray();
        if (walk.IsDeep)
        {
            order = [.. order.OrderBy(i => SchemaKeywords.ContainsReference(branches[i]) ? 1 : 0)];
        }

        // Deep inside recursion one try is enough: retries there would multiply with every level.
        var attempts = walk.IsDeep ? 1 : Math.Clamp(branches.Length * 4, 8, 16);
        byte[]? value = null;
        for (var attempt = 0; attempt < attempts && (attempt == 0 || walk.TryRetry()); attempt++)
        {
            var chosen = order[attempt % order.Length];
            value = WriteDetached(WithBranch(schema, "oneOf", branches[chosen]), name, walk);
            if (!MatchesAnotherBranch(value, branches, chosen, walk.Root))
            {
                break;
            }
        }

        writer.WriteRawValue(value!, skipInputValidation: true);
    }

    private static bool MatchesAnotherBranch(byte[] value, JsonElement[] branches, int chosen, JsonElement root)
    {
        using var document = JsonDocument.Parse(value);
        for (var i = 0; i < branches.Length; i++)
        {
            if (i != chosen && SchemaMatcher.Matches(document.RootElement, branches[i], root))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A member of <c>enum</c> that also fits the schema's other keywords, when one does.</summary>
    private void WriteEnumMember(Utf8JsonWriter writer, JsonElement schema, JsonElement members, Walk walk)
    {
        var fitting = members.EnumerateArray().Where(m => SchemaMatcher.Matches(m, schema, walk.Root)).ToArray();
        var pool = fitting.Length > 0 ? fitting : members.EnumerateArray().ToArray();
        WriteCounted(writer, pool[_random.Number(0, pool.Length - 1)], walk);
    }

    private JsonTypes ChooseType(JsonTypes types, Walk walk)
    {
        if (types == JsonTypes.Any)
        {
            return JsonTypes.None; // unconstrained: a plausible value by name
        }

        Span<JsonTypes> candidates = stackalloc JsonTypes[7];
        var count = 0;
        foreach (var type in (ReadOnlySpan<JsonTypes>)[JsonTypes.String, JsonTypes.Integer, JsonTypes.Number, JsonTypes.Boolean, JsonTypes.Object, JsonTypes.Array])
        {
            if (types.HasFlag(type))
            {
                candidates[count++] = type;
            }
        }

        if (types.HasFlag(JsonTypes.Null) && (count == 0 || walk.IsDeep || _random.Bool(0.2f)))
        {
            return JsonTypes.Null;
        }

        if (count == 0)
        {
            return JsonTypes.None;
        }

        if (walk.IsDeep)
        {
            // Winding down: a scalar ends the path, a container may go on.
            foreach (var type in candidates[..count])
            {
                if (type is not (JsonTypes.Object or JsonTypes.Array))
                {
                    return type;
                }
            }
        }

        return candidates[_random.Number(0, count - 1)];
    }

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

    /// <summary>A value free of any constraint: something that reads well for the property's name.</summary>
    private void WriteAnything(Utf8JsonWriter writer, string? name)
    {
        if (PlausibleValues.RangeForName(name) is { } hint)
        {
            WriteDecimal(writer, RandomBetween(hint.Min, hint.Max, hint.Decimals));
            return;
        }

        writer.WriteStringValue(_values.ForName(name));
    }

    /// <summary>A value given by the schema (const, an enum member), counted against the character budget.</summary>
    private static void WriteCounted(Utf8JsonWriter writer, JsonElement value, Walk walk)
    {
        var before = writer.BytesCommitted + writer.BytesPending;
        value.WriteTo(writer);
        walk.Characters += writer.BytesCommitted + writer.BytesPending - before;
    }

    /// <summary>Longest const or enum member written once limits have been reached; a longer one gives way to the type's minimum.</summary>
    private const int MinimalGivenValue = 1024;

    /// <summary>The cheapest value that respects the schema's type, for when limits have been reached.</summary>
    private static void WriteMinimal(Utf8JsonWriter writer, JsonElement schema)
    {
        if (SchemaKeywords.TryGet(schema, "const", out var constant) && constant.GetRawText().Length <= MinimalGivenValue)
        {
            constant.WriteTo(writer);
            return;
        }

        if (SchemaKeywords.TryGet(schema, "enum", JsonValueKind.Array, out var members) && members.GetArrayLength() > 0
            && members[0].GetRawText().Length <= MinimalGivenValue)
        {
            members[0].WriteTo(writer);
            return;
        }

        var types = SchemaKeywords.EffectiveTypes(schema);
        if (types.HasFlag(JsonTypes.Null))
        {
            writer.WriteNullValue();
        }
        else if (types.HasFlag(JsonTypes.Boolean))
        {
            writer.WriteBooleanValue(false);
        }
        else if (types.HasFlag(JsonTypes.Integer) || types.HasFlag(JsonTypes.Number))
        {
            var lower = SchemaKeywords.Lower(schema);
            writer.WriteNumberValue(lower is { } bound ? decimal.Floor(bound.Value) + 1 : 0);
        }
        else if (types.HasFlag(JsonTypes.String))
        {
            writer.WriteStringValue(string.Empty);
        }
        else if (types.HasFlag(JsonTypes.Array))
        {
            writer.WriteStartArray();
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
    }

    private static JsonElement ParseStatic(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        return JsonElement.ParseValue(ref reader);
    }
}
