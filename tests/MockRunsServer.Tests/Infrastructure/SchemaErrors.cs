using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Pointer;
using Json.Schema;
using Xunit.Sdk;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>One reason a JSON value does not match its schema.</summary>
/// <param name="Path">Where in the value, as a JSON path: <c>$.data[0].created_at</c>.</param>
/// <param name="Keyword">The schema keyword that failed: <c>required</c>, <c>type</c>, <c>enum</c>…</param>
/// <param name="Message">The validator's message, with the offending value and, for enums, the allowed ones.</param>
/// <param name="SchemaLocation">Where in the spec: <c>#/components/schemas/RunObject/properties/status</c>.</param>
public sealed record SchemaError(string Path, string Keyword, string Message, string SchemaLocation)
{
    public override string ToString() => $"{Path}: {Message} [{Keyword} at {SchemaLocation}]";
}

/// <summary>The assertion failure of <see cref="OpenApiSchemas"/>: every error, one per line.</summary>
public sealed class SchemaValidationException : XunitException
{
    private const int MaxBodyChars = 2000;

    /// <summary>Quotes and apostrophes in failure messages as they were, not as \u0022.</summary>
    internal static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public SchemaValidationException(string target, JsonNode? instance, IReadOnlyList<SchemaError> errors)
        : this(target, instance?.ToJsonString(Readable) ?? "null", errors)
    {
    }

    /// <param name="target">What the body was checked against.</param>
    /// <param name="body">The body as it should be shown (the start of it is).</param>
    /// <param name="errors">Every error found.</param>
    public SchemaValidationException(string target, string body, IReadOnlyList<SchemaError> errors)
        : base(Describe(target, body, errors))
    {
        Errors = errors;
    }

    public SchemaValidationException(string target, string text, Exception parseError)
        : base($"Body checked against {target} is not JSON: {parseError.Message}{Environment.NewLine}Body: {Truncate(text, MaxBodyChars)}")
    {
        Errors = [new SchemaError("$", "json", parseError.Message, "")];
    }

    public IReadOnlyList<SchemaError> Errors { get; }

    private static string Describe(string target, string body, IReadOnlyList<SchemaError> errors)
    {
        var text = new StringBuilder();
        text.Append("JSON does not match ").Append(target).Append(": ").Append(errors.Count)
            .Append(errors.Count == 1 ? " error" : " errors").AppendLine();
        foreach (var error in errors)
        {
            text.Append("  ").AppendLine(error.ToString());
        }

        text.Append("Body: ").Append(Truncate(body, MaxBodyChars));
        return text.ToString();
    }

    internal static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}

/// <summary>Turns JsonSchema.Net's hierarchical output into a flat, readable list.</summary>
internal static partial class SchemaErrors
{
    private static readonly string[] DiscriminatorProperties = ["type", "object", "event"];

    public static IReadOnlyList<SchemaError> From(EvaluationResults results, JsonNode? instance, JsonObject document, Uri baseUri)
    {
        var context = new Context(instance, document, baseUri, []);
        Collect(results, "", context);
        if (context.Errors.Count == 0)
        {
            context.Errors.Add(new SchemaError("$", "?", "The value does not match, and the validator gave no detail.", ""));
        }

        return context.Errors.Distinct().ToArray();
    }

    private sealed record Context(JsonNode? Instance, JsonObject Document, Uri BaseUri, List<SchemaError> Errors);

    /// <param name="node">A node of the hierarchical output.</param>
    /// <param name="location">Where <paramref name="node"/>'s schema is in the spec (<c>#/components/…</c>).
    /// Tracked here because JsonSchema.Net reports locations inside a <c>$ref</c> target relative to
    /// that target.</param>
    private static void Collect(EvaluationResults node, string location, Context context)
    {
        if (node.IsValid)
        {
            return;
        }

        var details = node.HasDetails ? node.Details : [];
        var branches = details
            .Where(d => BranchOf(d.EvaluationPath) is not null)
            .GroupBy(d => BranchOf(d.EvaluationPath)!.Value.Combinator)
            .ToDictionary(g => g.Key, g => g.ToList());

        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            // "Expected 1 matching subschema but found 0" adds nothing when the branches say why.
            if (branches.TryGetValue(keyword, out var tried) && tried.All(b => !b.IsValid))
            {
                continue;
            }

            context.Errors.Add(Describe(node, keyword, message, location, context));
        }

        foreach (var detail in details)
        {
            if (detail.IsValid)
            {
                continue;
            }

            // Branches of one oneOf/anyOf: a branch that failed only because the value is another
            // variant (wrong `type`, or wrong `type`/`object`/`event` tag) is left out when another
            // branch came closer, so a run-step tool call with a bad field names that field, not the
            // two variants it isn't. When oneOf matched several branches, the failing ones don't matter.
            if (BranchOf(detail.EvaluationPath) is { } branch && branches.TryGetValue(branch.Combinator, out var siblings) &&
                (siblings.Any(s => s.IsValid) ||
                 (IsOtherVariant(detail) && siblings.Any(s => !IsOtherVariant(s)))))
            {
                continue;
            }

            Collect(detail, ChildLocation(node, detail, location, context.BaseUri), context);
        }
    }

    private static string ChildLocation(EvaluationResults parent, EvaluationResults child, string parentLocation, Uri baseUri)
    {
        var extra = child.EvaluationPath.Count > parent.EvaluationPath.Count
            ? child.EvaluationPath[parent.EvaluationPath.Count..].ToArray()
            : [];
        if (extra.Length > 0 && extra[^1] is "$ref" or "$dynamicRef" &&
            child.SchemaLocation is { IsAbsoluteUri: true } target &&
            target.GetLeftPart(UriPartial.Query) == baseUri.GetLeftPart(UriPartial.Query))
        {
            return "#" + Uri.UnescapeDataString(target.Fragment).TrimStart('#');
        }

        var location = new StringBuilder(parentLocation.Length == 0 ? "#" : parentLocation);
        foreach (var segment in extra)
        {
            location.Append('/').Append(OpenApiSchemaRewriter.EscapePointer(segment));
        }

        return location.ToString();
    }

    private static (string Combinator, int Index)? BranchOf(JsonPointer evaluationPath)
    {
        if (evaluationPath.Count < 2 || !int.TryParse(evaluationPath[^1], out var index))
        {
            return null;
        }

        var combinator = evaluationPath[^2];
        return combinator is "oneOf" or "anyOf" ? (combinator, index) : null;
    }

    /// <summary>
    /// True when <paramref name="branch"/> failed because the value is of another type, or carries
    /// another <c>type</c>/<c>object</c>/<c>event</c> tag, looking through <c>$ref</c> and <c>allOf</c>
    /// and into nested <c>oneOf</c>/<c>anyOf</c> only when every nested branch is another variant too.
    /// </summary>
    private static bool IsOtherVariant(EvaluationResults branch) => IsOtherVariant(branch, branch.InstanceLocation);

    private static bool IsOtherVariant(EvaluationResults node, JsonPointer location)
    {
        if (node.Errors?.ContainsKey("type") == true && node.InstanceLocation.Equals(location))
        {
            return true;
        }

        if (!node.HasDetails)
        {
            return false;
        }

        var nestedBranches = new List<EvaluationResults>();
        foreach (var child in node.Details)
        {
            if (child.IsValid)
            {
                continue;
            }

            if (BranchOf(child.EvaluationPath) is not null)
            {
                nestedBranches.Add(child);
            }
            else if (child.InstanceLocation.Equals(location))
            {
                if (IsOtherVariant(child, location))
                {
                    return true;
                }
            }
            else if (child.InstanceLocation.Count == location.Count + 1 &&
                     DiscriminatorProperties.Contains(child.InstanceLocation[^1]) &&
                     Flatten(child).Any(r => r.Errors?.ContainsKey("enum") == true || r.Errors?.ContainsKey("const") == true))
            {
                return true;
            }
        }

        return nestedBranches.Count > 0 &&
               node.Details.All(d => BranchOf(d.EvaluationPath) is null || !d.IsValid) &&
               nestedBranches.All(b => IsOtherVariant(b, location));
    }

    private static IEnumerable<EvaluationResults> Flatten(EvaluationResults node)
    {
        yield return node;
        if (!node.HasDetails)
        {
            yield break;
        }

        foreach (var child in node.Details.Where(d => !d.IsValid))
        {
            foreach (var descendant in Flatten(child))
            {
                yield return descendant;
            }
        }
    }

    private static SchemaError Describe(EvaluationResults node, string keyword, string message, string schemaLocation,
        Context context)
    {
        var (instance, document) = (context.Instance, context.Document);
        var text = new StringBuilder(message.TrimEnd('.'));
        if (keyword is "type" or "enum" or "const" or "minimum" or "maximum" or "maxLength" or "minLength" or "pattern" &&
            node.InstanceLocation.TryEvaluate(instance, out var value))
        {
            text.Append("; got ").Append(SchemaValidationException.Truncate(
                value?.ToJsonString(SchemaValidationException.Readable) ?? "null", 80));
        }

        if (keyword == "enum" && schemaLocation.StartsWith('#') &&
            JsonPointer.TryParse(schemaLocation[1..] + "/enum", out var enumPointer) &&
            enumPointer.TryEvaluate(document, out var allowed) && allowed is JsonArray values)
        {
            text.Append("; allowed: ").Append(string.Join(", ",
                values.Select(v => v?.ToJsonString(SchemaValidationException.Readable) ?? "null")));
        }

        return new SchemaError(JsonPath(node.InstanceLocation, instance), keyword, text.ToString(), schemaLocation);
    }

    /// <summary><c>/data/0/created_at</c> → <c>$.data[0].created_at</c>, looking at the value to tell
    /// array indexes from numeric property names.</summary>
    internal static string JsonPath(JsonPointer pointer, JsonNode? instance)
    {
        var path = new StringBuilder("$");
        var current = instance;
        foreach (var segment in pointer)
        {
            if (current is JsonArray array && int.TryParse(segment, out var index))
            {
                path.Append('[').Append(index).Append(']');
                current = index < array.Count ? array[index] : null;
                continue;
            }

            if (Identifier().IsMatch(segment))
            {
                path.Append('.').Append(segment);
            }
            else
            {
                path.Append("['").Append(segment.Replace("\\", "\\\\").Replace("'", "\\'")).Append("']");
            }

            current = current is JsonObject obj && obj.TryGetPropertyValue(segment, out var child) ? child : null;
        }

        return path.ToString();
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
