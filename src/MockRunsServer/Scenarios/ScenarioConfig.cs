using System.Text.RegularExpressions;
using MockRunsServer.Options;

namespace MockRunsServer.Scenarios;

/// <summary>
/// The runtime half of the configuration — timings, outcome weights, scenarios and rules — as
/// one immutable snapshot, so a run created during a live config change sees one version or
/// the other, never a mix.
/// </summary>
public sealed class ScenarioConfig
{
    private ScenarioConfig(TimingOptions timings, IReadOnlyList<KeyValuePair<string, double>> weights,
        IReadOnlyDictionary<string, ScenarioDefinition> scenarios, IReadOnlyList<ScenarioRule> rules)
    {
        Timings = timings;
        Weights = weights;
        Scenarios = scenarios;
        Rules = rules;
        KnownNames = string.Join(", ", scenarios.Keys.Order(StringComparer.Ordinal).Select(name => $"'{name}'"));
        TotalWeight = weights.Sum(pair => pair.Value);
    }

    public TimingOptions Timings { get; }
    public IReadOnlyList<KeyValuePair<string, double>> Weights { get; }
    public double TotalWeight { get; }
    public IReadOnlyDictionary<string, ScenarioDefinition> Scenarios { get; }
    public IReadOnlyList<ScenarioRule> Rules { get; }
    public string KnownNames { get; }

    /// <summary>Builds the snapshot; the options must already have passed <see cref="MockOptionsValidator"/>.</summary>
    public static ScenarioConfig From(MockOptions options)
    {
        var scenarios = new Dictionary<string, ScenarioDefinition>(ScenarioDefinition.BuiltIn, StringComparer.Ordinal);
        foreach (var (name, scenario) in options.Scenarios)
        {
            scenarios[name] = ScenarioDefinition.FromOptions(name, scenario);
        }
        var weights = options.Outcomes
            .Where(pair => pair.Value > 0)
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ToList();
        var rules = options.Rules.Select(ScenarioRule.From).ToList();
        return new ScenarioConfig(options.Timings, weights, scenarios, rules);
    }
}

public sealed record ScenarioRule(
    string Scenario,
    string? AssistantId,
    string? AssistantName,
    string? Model,
    string? MessageContains,
    Regex? MessageRegex,
    IReadOnlyDictionary<string, string>? Metadata)
{
    public static ScenarioRule From(RuleOptions rule) => new(
        rule.Scenario!,
        rule.AssistantId,
        rule.AssistantName,
        rule.Model,
        rule.MessageContains,
        rule.MessageRegex is { } pattern ? Generation.UserPattern.Create(pattern, RegexOptions.CultureInvariant) : null,
        rule.Metadata);
}
