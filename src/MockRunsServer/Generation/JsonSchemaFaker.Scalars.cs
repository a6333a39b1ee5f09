using System.Text.Json;

namespace MockRunsServer.Generation;

/// <summary>Strings and numbers: formats, patterns, lengths, bounds and multiples.</summary>
public sealed partial class JsonSchemaFaker
{
    /// <summary>Longest string ever produced; a larger minLength cannot be met by a mock anyway.</summary>
    private const int MaxStringLength = 100_000;

    private const string Lowercase = "abcdefghijklmnopqrstuvwxyz";
    private const string Uppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";

    private string MakeString(JsonElement schema, string? name)
    {
        var min = SchemaKeywords.GetCount(schema, "minLength", MaxStringLength) ?? 0;
        var max = Math.Max(min, SchemaKeywords.GetCount(schema, "maxLength", MaxStringLength) ?? MaxStringLength);
        var format = SchemaKeywords.GetString(schema, "format");
        if (SchemaKeywords.GetString(schema, "pattern") is { } pattern)
        {
            return MakePatternString(pattern, min, max, name, format);
        }

        if (format is not null && _values.ForFormat(format) is { } formatted)
        {
            for (var attempt = 0; attempt < 8 && !Fits(formatted, min, max); attempt++)
            {
                formatted = _values.ForFormat(format)!;
            }

            // Cutting a date or an email to length would break the format; a redraw is all we try.
            return formatted;
        }

        return _values.FitLength(_values.ForName(name), min, max);
    }

    /// <summary>
    /// A string matching <paramref name="pattern"/> within the length limits: generated from the
    /// parsed pattern and checked with a real regex; if the pattern is beyond the parser, or every
    /// try misses, ordinary candidates (words, digits, ids, emails, dates…) are tried against it.
    /// </summary>
    private string MakePatternString(string pattern, int min, int max, string? name, string? format)
    {
        var matches = PatternMatcher.For(pattern);
        if (format is not null && _values.ForFormat(format) is not null)
        {
            for (var attempt = 0; attempt < 6; attempt++)
            {
                var formatted = _values.ForFormat(format)!;
                if (Fits(formatted, min, max) && matches(formatted) != false)
                {
                    return formatted;
                }
            }
        }

        string? best = null;
        if (RegexPattern.Parse(pattern) is { } parsed)
        {
            // Repeats start short; a miss on length steers the next try (too short: every repeat
            // takes the shortfall more; too long: the range shrinks).
            var (fewest, most) = (0, 3);
            for (var attempt = 0; attempt < 16; attempt++)
            {
                var candidate = parsed.Generate(_random, fewest, most);
                if (candidate is null)
                {
                    break;
                }

                candidate = PadToLength(candidate, parsed, min);
                var length = MockRunsServer.Wire.CodePoints.Count(candidate);
                if (length >= min && length <= max && matches(candidate) != false)
                {
                    return candidate;
                }

                best ??= candidate;
                if (length < min)
                {
                    fewest = most = most + (min - length);
                }
                else if (length > max)
                {
                    most = Math.Max(0, Math.Min(most, fewest + ((most - fewest) / 2)) - Math.Max(1, (length - max) / 2));
                    fewest = Math.Min(fewest, most) / 2;
                }
            }
        }

        for (var attempt = 0; attempt < 24; attempt++)
        {
            var candidate = _values.FitLength(FallbackCandidate(attempt, name, min), min, max);
            if (matches(candidate) == true)
            {
                return candidate;
            }
        }

        return best ?? _values.FitLength(_values.ForName(name), min, max);
    }

    /// <summary>Lengthens a too-short match on a side the pattern leaves open: the regex still finds it.</summary>
    private string PadToLength(string value, RegexPattern parsed, int min)
    {
        var missing = min - MockRunsServer.Wire.CodePoints.Count(value);
        if (missing <= 0)
        {
            return value;
        }

        if (!parsed.AnchoredEnd)
        {
            return value + _random.String2(missing, Lowercase);
        }

        return !parsed.AnchoredStart ? _random.String2(missing, Lowercase) + value : value;
    }

    private string FallbackCandidate(int attempt, string? name, int min)
    {
        var length = Math.Max(min, _random.Number(4, 12));
        return (attempt % 12) switch
        {
            0 => _values.ForName(name),
            1 => _values.Word(),
            2 => _values.Words(2, 4),
            3 => _random.String2(length, Digits),
            4 => _random.AlphaNumeric(length),
            5 => _random.String2(length, Uppercase),
            6 => _values.ForFormat("uuid")!,
            7 => _values.ForFormat("email")!,
            8 => _values.ForFormat("uri")!,
            9 => _values.ForFormat("date")!,
            10 => _values.ForFormat("date-time")!,
            // Mixed classes satisfy the usual "one upper, one lower, one digit" look-aheads.
            _ => _random.String2(1, Uppercase) + _random.String2(1, Lowercase) + _random.String2(1, Digits) + _random.AlphaNumeric(Math.Max(0, length - 3)),
        };
    }

    private static bool Fits(string value, int min, int max)
    {
        var length = MockRunsServer.Wire.CodePoints.Count(value);
        return length >= min && length <= max;
    }

    private void WriteInteger(Utf8JsonWriter writer, JsonElement schema, string? name)
    {
        decimal? lower = SchemaKeywords.Lower(schema) is { } l ? (l.Exclusive ? decimal.Floor(l.Value) + 1 : decimal.Ceiling(l.Value)) : null;
        decimal? upper = SchemaKeywords.Upper(schema) is { } u ? (u.Exclusive ? decimal.Ceiling(u.Value) - 1 : decimal.Floor(u.Value)) : null;
        var (from, to) = TypicalRange(lower, upper, PlausibleValues.RangeForName(name), 1, 100);
        from = decimal.Ceiling(from);
        to = decimal.Floor(to);

        if (SchemaKeywords.GetDecimal(schema, "multipleOf") is { } multipleOf && multipleOf > 0 && IntegerStep(multipleOf) is { } step)
        {
            NumericBound? inclusiveLower = lower is { } low ? new NumericBound(low, false) : null;
            NumericBound? inclusiveUpper = upper is { } high ? new NumericBound(high, false) : null;
            WriteDecimal(writer, PickMultiple(step, from, to, inclusiveLower, inclusiveUpper));
            return;
        }

        WriteDecimal(writer, from > to ? from : RandomInteger(from, to));
    }

    private void WriteNumber(Utf8JsonWriter writer, JsonElement schema, string? name)
    {
        var lower = SchemaKeywords.Lower(schema);
        var upper = SchemaKeywords.Upper(schema);
        var hint = PlausibleValues.RangeForName(name);
        var (from, to) = TypicalRange(lower?.Value, upper?.Value, hint, 0, 100);

        if (SchemaKeywords.GetDecimal(schema, "multipleOf") is { } step && step > 0)
        {
            WriteDecimal(writer, PickMultiple(step, from, to, lower, upper));
            return;
        }

        var decimals = hint?.Decimals ?? 2;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var value = from + ((decimal)_random.Double() * (to - from));
            var rounded = Math.Round(value, decimals);
            if (InBounds(rounded, lower, upper))
            {
                WriteDecimal(writer, rounded);
                return;
            }

            if (InBounds(value, lower, upper))
            {
                WriteDecimal(writer, value);
                return;
            }
        }

        var middle = (from + to) / 2;
        WriteDecimal(writer, InBounds(middle, lower, upper) ? middle : Inside(lower, upper, from));
    }

    /// <summary>A value the bounds allow, when the drawn ones all fell outside; <paramref name="fallback"/> when they allow none.</summary>
    private static decimal Inside(NumericBound? lower, NumericBound? upper, decimal fallback)
    {
        var value = (lower, upper) switch
        {
            ({ } l, { } u) => (l.Value + u.Value) / 2,
            ({ } l, null) => l.Value + 1,
            (null, { } u) => u.Value - 1,
            _ => fallback,
        };
        return InBounds(value, lower, upper) ? value : fallback;
    }

    private decimal RandomBetween(decimal from, decimal to, int decimals) =>
        Math.Round(from + ((decimal)_random.Double() * (to - from)), decimals);

    /// <summary>
    /// The range values are drawn from: the schema's bounds, narrowed to what the property's name
    /// suggests when that fits, and a short typical span on any side the schema leaves open.
    /// </summary>
    private static (decimal From, decimal To) TypicalRange(decimal? lower, decimal? upper, NumericHint? hint, decimal typicalFrom, decimal typicalTo)
    {
        if (hint is { } h)
        {
            var hintFrom = Math.Max(h.Min, lower ?? h.Min);
            var hintTo = Math.Min(h.Max, upper ?? h.Max);
            // A hint that only touches the schema's range (a price hint ending at 500, exclusiveMinimum 500)
            // leaves one value, which an exclusive bound forbids: the schema's own range decides then.
            if (hintFrom < hintTo)
            {
                return (hintFrom, hintTo);
            }
        }

        var from = lower ?? (upper is { } top && top < typicalFrom ? top - 100 : typicalFrom);
        var to = upper ?? (from > typicalTo ? from + 100 : typicalTo);
        return from <= to ? (from, to) : (from, from);
    }

    /// <summary>The smallest integer multiple of a (possibly fractional) multipleOf, or null past a sane search.</summary>
    private static decimal? IntegerStep(decimal multipleOf)
    {
        for (var factor = 1; factor <= 1_000; factor++)
        {
            var step = multipleOf * factor;
            if (step == decimal.Truncate(step))
            {
                return step;
            }
        }

        return null;
    }

    /// <summary>
    /// A random multiple of <paramref name="step"/> within [from, to] and the schema's bounds; an open
    /// side is widened first so a large step still has multiples to choose from.
    /// </summary>
    private decimal PickMultiple(decimal step, decimal from, decimal to, NumericBound? lower, NumericBound? upper)
    {
        if (upper is null)
        {
            to = Math.Max(to, from + (step * 10));
        }

        if (lower is null)
        {
            from = Math.Min(from, to - (step * 10));
        }

        var first = decimal.Ceiling(from / step);
        if (lower is { Exclusive: true } l && first * step <= l.Value)
        {
            first++;
        }

        var last = decimal.Floor(to / step);
        if (upper is { Exclusive: true } u && last * step >= u.Value)
        {
            last--;
        }

        // No multiple fits between the bounds: the schema cannot be met, so take the nearest one.
        return first <= last ? RandomInteger(first, last) * step : first * step;
    }

    private decimal RandomInteger(decimal from, decimal to)
    {
        var span = to - from;
        if (span <= 0)
        {
            return from;
        }

        if (span < int.MaxValue)
        {
            return from + _random.Number(0, (int)span);
        }

        return Math.Min(to, from + decimal.Floor((decimal)_random.Double() * (span + 1)));
    }

    private static bool InBounds(decimal value, NumericBound? lower, NumericBound? upper) =>
        (lower is not { } l || (l.Exclusive ? value > l.Value : value >= l.Value))
        && (upper is not { } u || (u.Exclusive ? value < u.Value : value <= u.Value));

    private static void WriteDecimal(Utf8JsonWriter writer, decimal value)
    {
        // Dividing by a one with many zeros drops trailing zeros: 12.30 becomes 12.3, 42.00 becomes 42.
        value /= 1.000000000000000000000000000000000m;
        if (value == decimal.Truncate(value) && value >= long.MinValue && value <= long.MaxValue)
        {
            writer.WriteNumberValue((long)value);
            return;
        }

        writer.WriteNumberValue(value);
    }
}
