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
