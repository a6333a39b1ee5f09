using System.Text.RegularExpressions;
using MockRunsServer.Generation;
using MockRunsServer.Wire;

namespace MockRunsServer.Scenarios;

/// <summary>What the selection looks at when a run is created.</summary>
public sealed record ScenarioRequest(
    string? HeaderScenario,
    IReadOnlyDictionary<string, string> Metadata,
    string? LastUserMessage,
    AssistantObject Assistant,
    string Model);

/// <summary>
/// Picks a new run's scenario in the contract's order: header, metadata <c>mock_scenario</c>,
/// <c>[mock:name]</c> directive, rules, weighted draw, <c>complete</c>.
/// </summary>
public sealed partial class ScenarioSelector(MockRandom random)
{
    public const string MetadataKey = "mock_scenario";
    public const string HeaderName = "X-Mock-Scenario";

    public ScenarioDefinition Select(ScenarioConfig config, ScenarioRequest request, bool directivesEnabled)
    {
        if (request.HeaderScenario is { } header)
        {
            return Named(config, header, null);
        }
        if (request.Metadata.TryGetValue(MetadataKey, out var fromMetadata))
        {
            return Named(config, fromMetadata, $"metadata.{MetadataKey}");
        }
        if (directivesEnabled && request.LastUserMessage is { } text)
        {
            foreach (Match match in Directive().Matches(text))
            {
                if (config.Scenarios.TryGetValue(match.Groups[1].Value, out var directed))
                {
                    return directed;
                }
            }
        }
        foreach (var rule in config.Rules)
        {
            if (Matches(rule, request) && config.Scenarios.TryGetValue(rule.Scenario, out var ruled))
            {
                return ruled;
            }
        }
        if (config.TotalWeight > 0)
        {
            var draw = random.NextDouble() * config.TotalWeight;
            foreach (var (name, weight) in config.Weights)
            {
                draw -= weight;
                if (draw < 0 && config.Scenarios.TryGetValue(name, out var drawn))
                {
                    return drawn;
                }
            }
        }
        return config.Scenarios["complete"];
    }

    /// <summary>Checks a name given by the client before anything is created.</summary>
    public static void EnsureKnown(ScenarioConfig config, string name, string? param) => Named(config, name, param);

    private static ScenarioDefinition Named(ScenarioConfig config, string name, string? param) =>
        config.Scenarios.TryGetValue(name, out var scenario)
            ? scenario
            : throw ApiError.BadRequest($"Unknown mock scenario '{name}'. Known scenarios: {config.KnownNames}.", param, "invalid_value");

    private static bool Matches(ScenarioRule rule, ScenarioRequest request)
    {
        if (rule.AssistantId is { } id && id != request.Assistant.Id)
        {
            return false;
        }
        if (rule.AssistantName is { } name && name != request.Assistant.Name)
        {
            return false;
        }
        if (rule.Model is { } model && model != request.Model)
        {
            return false;
        }
        var text = request.LastUserMessage ?? string.Empty;
        if (rule.MessageContains is { } contains && !text.Contains(contains, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (rule.MessageRegex is { } regex)
        {
            try
            {
                if (!regex.IsMatch(text))
                {
                    return false;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
        if (rule.Metadata is { } metadata)
        {
            foreach (var (key, value) in metadata)
            {
                if (!request.Metadata.TryGetValue(key, out var actual) || actual != value)
                {
                    return false;
                }
            }
        }
        return true;
    }

    [GeneratedRegex(@"\[mock:([A-Za-z0-9_\-]+)\]")]
    private static partial Regex Directive();
}
