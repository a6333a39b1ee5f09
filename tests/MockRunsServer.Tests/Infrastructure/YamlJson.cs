using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>
/// Reads YAML straight from YamlDotNet's event stream into System.Text.Json nodes, resolving plain
/// scalars by the YAML 1.2 core schema (the one JSON-compatible OpenAPI documents are written for):
/// null, booleans, integers and floats are typed, everything else — quoted scalars included — stays a
/// string. So <c>version: 2024-10-01</c> is the string it looks like, not a date, and <c>"200"</c>
/// response keys stay strings. Skipping YamlDotNet's representation model keeps a 3 MB file fast.
/// </summary>
internal static partial class YamlJson
{
    public static JsonNode? Parse(TextReader reader)
    {
        var parser = new Parser(reader);
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _))
        {
            return null;
        }

        parser.Consume<DocumentStart>();
        var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var root = ReadNode(parser, anchors);
        parser.Consume<DocumentEnd>();
        return root;
    }

    /// <summary>Parses YAML text, after <see cref="BlankLeadingBlockLines"/>.</summary>
    public static JsonNode? Parse(string yaml) => Parse(new StringReader(BlankLeadingBlockLines(yaml)));

    /// <summary>
    /// Empties whitespace-only lines that open a block scalar. OpenAI's spec has
    /// <c>example: |+</c> followed by a line of 12 spaces and then the next key at 10
    /// (StopConfiguration): libyaml reads that as <c>"\n"</c>, YamlDotNet rejects it ("found extra
    /// spaces in first line"). Emptying such lines gives the same value and touches nothing else.
    /// </summary>
    internal static string BlankLeadingBlockLines(string yaml)
    {
        StringBuilder? fixedText = null;
        var afterHeader = false;
        var start = 0;
        while (start < yaml.Length)
        {
            var end = yaml.IndexOf('\n', start);
            var lineEnd = end < 0 ? yaml.Length : end;
            var line = yaml.AsSpan(start, lineEnd - start).TrimEnd('\r');
            if (afterHeader && line.Length > 0 && line.IsWhiteSpace())
            {
                var carriageReturns = lineEnd - start - line.Length;
                fixedText ??= new StringBuilder(yaml, 0, start, yaml.Length);
                fixedText.Append(yaml, lineEnd - carriageReturns, carriageReturns);
            }
            else
            {
                fixedText?.Append(yaml, start, lineEnd - start);
                afterHeader = line.Length == 0 ? afterHeader : BlockHeader().IsMatch(line);
            }

            if (end < 0)
            {
                break;
            }

            fixedText?.Append('\n');
            start = end + 1;
        }

        return fixedText?.ToString() ?? yaml;
    }

    private static JsonNode? ReadNode(IParser parser, Dictionary<string, JsonNode?> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new YamlException(alias.Start, alias.End, $"Unknown alias '*{alias.Value.Value}'.");
            }

            return target?.DeepClone();
        }

        JsonNode? node;
        AnchorName anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            node = ToValue(scalar);
            anchor = scalar.Anchor;
        }
        else if (parser.TryConsume<MappingStart>(out var mapping))
        {
            var obj = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = ReadNode(parser, anchors);
                var keyText = key switch
                {
                    null => "null",
                    JsonValue v => v.ToString(),
                    _ => throw new YamlException(mapping.Start, mapping.End, "Only scalar mapping keys can become JSON."),
                };
                obj[keyText] = ReadNode(parser, anchors);
            }

            node = obj;
            anchor = mapping.Anchor;
        }
        else if (parser.TryConsume<SequenceStart>(out var sequence))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(ReadNode(parser, anchors));
            }

            node = array;
            anchor = sequence.Anchor;
        }
        else
        {
            var current = parser.Current;
            throw new YamlException(current?.Start ?? Mark.Empty, current?.End ?? Mark.Empty,
                $"Unexpected YAML event {current?.GetType().Name}.");
        }

        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    private static JsonNode? ToValue(Scalar scalar)
    {
        var text = scalar.Value;
        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
        {
            return scalar.Tag.Value switch
            {
                "tag:yaml.org,2002:str" => JsonValue.Create(text),
                "tag:yaml.org,2002:null" => null,
                "tag:yaml.org,2002:bool" => JsonValue.Create(bool.Parse(text)),
                "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" => PlainNumber(text) ?? JsonValue.Create(text),
                _ => JsonValue.Create(text),
            };
        }

        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        return PlainNumber(text) ?? JsonValue.Create(text);
    }

    private static JsonNode? PlainNumber(string text)
    {
        if (text.Length == 0 || !(char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.'))
        {
            return null;
        }

        if (IntPattern().IsMatch(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return JsonValue.Create(l);
            }

            return JsonValue.Create(decimal.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && text.Length > 2 &&
            long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2 && text.AsSpan(2).ContainsOnlyOctalDigits())
        {
            return JsonValue.Create(Convert.ToInt64(text[2..], 8));
        }

        if (FloatPattern().IsMatch(text))
        {
            // JSON has no Infinity/NaN; those (.inf, .nan) stay strings. Decimal keeps 0.1 exact for
            // keywords like multipleOf; fall back to double for exponents beyond decimal's range.
            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m)
                ? JsonValue.Create(m)
                : JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return null;
    }

    private static bool ContainsOnlyOctalDigits(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"(^|[\s:-])[|>][-+0-9]*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex BlockHeader();

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
