using System.Globalization;
using System.Text.Json;

namespace MockRunsServer.Wire.Validation;

/// <summary>
/// Reads one JSON object of a request field by field and answers bad input with OpenAI's
/// validator wording: the param is the dotted path of the field (<c>tools[0].function.name</c>).
/// Unknown fields are refused, since every request schema is closed.
/// </summary>
public readonly struct FieldReader
{
    private readonly JsonElement element;
    private readonly string prefix;

    private FieldReader(JsonElement element, string prefix)
    {
        this.element = element;
        this.prefix = prefix;
    }

    /// <summary>Starts reading <paramref name="value"/> as an object whose only allowed keys are <paramref name="known"/>.</summary>
    public static FieldReader Object(JsonElement value, string path, params string[] known)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw path.Length == 0
                ? ApiError.BadRequest($"Invalid type for body: expected an object, but got {Describe(value)} instead.", null, "invalid_type")
                : TypeError(path, "an object", value);
        }
        foreach (var property in value.EnumerateObject())
        {
            if (System.Array.IndexOf(known, property.Name) < 0)
            {
                var name = Join(path, property.Name);
                throw ApiError.BadRequest($"Unknown parameter: '{name}'.", name, "unknown_parameter");
            }
        }
        return new FieldReader(value, path);
    }

    public string Path(string name) => Join(prefix, name);

    public bool Has(string name) => element.TryGetProperty(name, out _);

    /// <summary>The field, or null when absent or JSON null.</summary>
    public JsonElement? Get(string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public JsonElement Required(string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw ApiError.BadRequest($"Missing required parameter: '{Path(name)}'.", Path(name), "missing_required_parameter");

    public string RequiredString(string name, int? maxLength = null) => StringValue(Required(name), Path(name), maxLength);

    public string? String(string name, int? maxLength = null) =>
        Get(name) is { } value ? StringValue(value, Path(name), maxLength) : null;

    /// <summary>A nullable string where "absent" and "null" differ (modify requests).</summary>
    public Optional<string?> OptionalString(string name, int? maxLength = null)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return Optional<string?>.Unset;
        }
        return Optional<string?>.Of(value.ValueKind == JsonValueKind.Null ? null : StringValue(value, Path(name), maxLength));
    }

    public string? Enum(string name, params string[] allowed) =>
        Get(name) is { } value ? EnumValue(value, Path(name), allowed) : null;

    public Optional<string?> OptionalEnum(string name, params string[] allowed)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return Optional<string?>.Unset;
        }
        return Optional<string?>.Of(value.ValueKind == JsonValueKind.Null ? null : EnumValue(value, Path(name), allowed));
    }

    public double? Number(string name, double min, double max) =>
        Get(name) is { } value ? NumberValue(value, Path(name), min, max) : null;

    public Optional<double?> OptionalNumber(string name, double min, double max)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return Optional<double?>.Unset;
        }
        return Optional<double?>.Of(value.ValueKind == JsonValueKind.Null ? null : NumberValue(value, Path(name), min, max));
    }

    public int? Integer(string name, int min, int max = int.MaxValue) =>
        Get(name) is { } value ? IntegerValue(value, Path(name), min, max) : null;

    public bool? Boolean(string name)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw TypeError(Path(name), "a boolean", value),
        };
    }

    public JsonElement? Object(string name) =>
        Get(name) is { } value ? (value.ValueKind == JsonValueKind.Object ? value : throw TypeError(Path(name), "an object", value)) : null;

    public JsonElement? Array(string name, int? maxItems = null, int minItems = 0)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }
        var path = Path(name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw TypeError(path, "an array", value);
        }
        var length = value.GetArrayLength();
        if (maxItems is { } max && length > max)
        {
            throw ApiError.BadRequest($"Invalid '{path}': array too long. Expected an array with maximum length {max}, but got an array with length {length} instead.", path, "array_above_max_length");
        }
        if (length < minItems)
        {
            throw ApiError.BadRequest($"Invalid '{path}': empty array. Expected an array with minimum length {minItems}, but got an empty array instead.", path, "empty_array");
        }
        return value;
    }

    /// <summary>OpenAI's metadata: at most 16 string pairs, keys up to 64 characters, values up to 512.</summary>
    public Dictionary<string, string>? Metadata(string name = "metadata")
    {
        if (Get(name) is not { } value)
        {
            return null;
        }
        var path = Path(name);
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw TypeError(path, "an object", value);
        }
        var count = 0;
        foreach (var _ in value.EnumerateObject())
        {
            count++;
        }
        if (count > 16)
        {
            throw ApiError.BadRequest($"Invalid '{path}': too many properties. Expected an object with at most 16 properties, but got an object with {count} properties instead.", path, "object_above_max_properties");
        }
        var metadata = new Dictionary<string, string>(count, StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            var keyPath = $"{path}.{property.Name}";
            if (property.Name.Length > 64 && CodePoints.Count(property.Name) is var keyLength && keyLength > 64)
            {
                throw ApiError.BadRequest($"Invalid property name in '{path}': '{Elided(property.Name)}' is too long. Expected a string with maximum length 64, but got a string with length {keyLength} instead.", keyPath, "property_name_above_max_length");
            }
            metadata[property.Name] = StringValue(property.Value, keyPath, 512);
        }
        return metadata;
    }

    public static string StringValue(JsonElement value, string path, int? maxLength)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw TypeError(path, "a string", value);
        }
        var text = value.GetString()!;
        // Only a string longer in UTF-16 units can be too long in characters, so the count is rarely needed.
        if (maxLength is { } max && text.Length > max && CodePoints.Count(text) is var length && length > max)
        {
            throw ApiError.BadRequest($"Invalid '{path}': string too long. Expected a string with maximum length {max}, but got a string with length {length} instead.", path, "string_above_max_length");
        }
        return text;
    }

    /// <summary>A long name as OpenAI's messages print it: its first three and last three characters (the param keeps it whole).</summary>
    private static string Elided(string name)
    {
        var runes = name.EnumerateRunes().ToArray();
        return runes.Length <= 12
            ? name
            : string.Concat(string.Concat(runes[..3]), "...", string.Concat(runes[^3..]));
    }

    public static string EnumValue(JsonElement value, string path, string[] allowed)
    {
        var text = StringValue(value, path, null);
        if (System.Array.IndexOf(allowed, text) < 0)
        {
            throw ApiError.BadRequest($"Invalid value: '{text}'. Supported values are: {SupportedList(allowed)}.", path, "invalid_value");
        }
        return text;
    }

    public static double NumberValue(JsonElement value, string path, double min, double max)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw TypeError(path, "a number", value);
        }
        var number = value.GetDouble();
        if (number > max)
        {
            throw ApiError.BadRequest($"Invalid '{path}': decimal above maximum value. Expected a value <= {Format(max)}, but got {value.GetRawText()} instead.", path, "decimal_above_max_value");
        }
        if (number < min)
        {
            throw ApiError.BadRequest($"Invalid '{path}': decimal below minimum value. Expected a value >= {Format(min)}, but got {value.GetRawText()} instead.", path, "decimal_below_min_value");
        }
        return number;
    }

    public static int IntegerValue(JsonElement value, string path, int min, int max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw TypeError(path, "an integer", value);
        }
        if (number > max)
        {
            throw ApiError.BadRequest($"Invalid '{path}': integer above maximum value. Expected a value <= {max}, but got {number} instead.", path, "integer_above_max_value");
        }
        if (number < min)
        {
            throw ApiError.BadRequest($"Invalid '{path}': integer below minimum value. Expected a value >= {min}, but got {number} instead.", path, "integer_below_min_value");
        }
        return (int)number;
    }

    public static ApiError TypeError(string path, string expected, JsonElement got) =>
        ApiError.BadRequest($"Invalid type for '{path}': expected {expected}, but got {Describe(got)} instead.", path, "invalid_type");

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "an integer" : "a decimal",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "null",
    };

    public static string SupportedList(string[] allowed) => allowed.Length switch
    {
        1 => $"'{allowed[0]}'",
        2 => $"'{allowed[0]}' and '{allowed[1]}'",
        _ => string.Join(", ", allowed[..^1].Select(value => $"'{value}'")) + $", and '{allowed[^1]}'",
    };

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
