using System.Text.Json;
using MockRunsServer.Options;

namespace MockRunsServer.Wire.Validation;

/// <summary>
/// Reads the document of <c>PUT /_mock/config</c> and checks it with the start-up validator;
/// every refusal is a 400 whose <c>param</c> is the field's path in the document
/// (<c>timings.queued</c>) and whose message also names the config key (<c>Mock:Timings:Queued</c>).
/// </summary>
public static class ConfigReader
{
    public static RuntimeOptions Read(JsonElement body)
    {
        RuntimeOptions? document;
        try
        {
            document = body.Deserialize(JsonContext.Default.RuntimeOptions);
        }
        catch (JsonException exception)
        {
            var path = exception.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal)
                ? p[2..].Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal)
                : null;
            var unknown = exception.Message.Contains("could not be mapped", StringComparison.Ordinal);
            if (path is null)
            {
                throw ApiError.BadRequest("Invalid config: expected an object like the one GET /_mock/config answers.", null, "invalid_type");
            }
            throw ApiError.BadRequest(unknown
                ? $"Invalid config: unknown field '{path}'."
                : $"Invalid config: '{path}' does not hold a value of the expected type.", path, unknown ? "unknown_parameter" : "invalid_type");
        }
        if (document is null)
        {
            throw ApiError.BadRequest("Invalid config: expected an object.", null, "invalid_type");
        }
        EnsureNoNulls(document);
        return document;
    }

    /// <summary>Runs the start-up validator over <paramref name="options"/> (the configured options with the new runtime part).</summary>
    public static void Validate(MockOptions options)
    {
        var errors = MockOptionsValidator.Check(options);
        if (errors.Count > 0)
        {
            var path = DocumentPath(errors[0], [.. options.Scenarios.Keys, .. options.Outcomes.Keys]);
            throw ApiError.BadRequest($"Invalid config '{path}': {string.Join(" ", errors)}", path, "invalid_value");
        }
    }

    /// <summary>
    /// Maps the config key a validator message starts with (<c>Mock:Scenarios:slow:Queued</c>) to its
    /// path in the document (<c>scenarios.slow.queued</c>). A scenario or outcome name is the user's
    /// and may hold spaces, so the key ends after the longest of <paramref name="names"/> it holds.
    /// </summary>
    public static string DocumentPath(string message, IEnumerable<string>? names = null)
    {
        var end = message.IndexOf(' ');
        foreach (var section in new[] { "Mock:Scenarios:", "Mock:Outcomes:" })
        {
            if (!message.StartsWith(section, StringComparison.Ordinal))
            {
                continue;
            }
            var named = (names ?? []).Where(name => message.AsSpan(section.Length).StartsWith(name, StringComparison.Ordinal)
                    && (message.Length == section.Length + name.Length || message[section.Length + name.Length] is ' ' or ':' or '.'))
                .MaxBy(name => name.Length);
            if (named is not null)
            {
                var after = section.Length + named.Length;
                var space = message.IndexOf(' ', after);
                end = space < 0 ? message.Length : space;
            }
        }
        var key = (end < 0 ? message : message[..end]).TrimEnd('.');
        var segments = key.Split(':');
        var parts = new List<string>(segments.Length);
        for (var i = 1; i < segments.Length; i++)
        {
            var keepAsIs = i > 1 && segments[i - 1] is "Outcomes" or "Scenarios" or "Metadata" || segments[i].All(char.IsAsciiDigit);
            parts.Add(keepAsIs ? segments[i] : JsonNamingPolicy.SnakeCaseLower.ConvertName(segments[i]));
        }
        return string.Join('.', parts);
    }

    private static void EnsureNoNulls(RuntimeOptions document)
    {
        Require(document.Timings, "timings");
        Require(document.Outcomes, "outcomes");
        Require(document.Scenarios, "scenarios");
        Require(document.Rules, "rules");
        Require(document.Faults, "faults");
        Require(document.Latency, "latency");
        Require(document.RateLimits, "rate_limits");
        foreach (var (name, scenario) in document.Scenarios)
        {
            Require(scenario, $"scenarios.{name}");
        }
        for (var i = 0; i < document.Rules.Count; i++)
        {
            Require(document.Rules[i], $"rules.{i}");
        }
    }

    private static void Require(object? value, string path)
    {
        if (value is null)
        {
            throw ApiError.BadRequest($"Invalid config: '{path}' must be an object, not null.", path, "invalid_type");
        }
    }
}
