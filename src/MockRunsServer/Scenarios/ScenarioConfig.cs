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
        var patterns = new Dictionary<string, Regex>(StringComparer.Ordinal);
        var rules = options.Rules.Select(rule => ScenarioRule.From(rule, patterns)).ToList();
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
    /// <summary>
    /// The rule, its <c>MessageRegex</c> shared with the config's other rules of the same pattern
    /// (<paramref name="patterns"/>): a config of thousands of rules (a PUT of a few MB) would
    /// otherwise hold gigabytes of regexes without backtracking, so past the first
    /// <see cref="Generation.UserPattern.MaxWithoutBacktracking"/> patterns they backtrack.
    /// </summary>
    public static ScenarioRule From(RuleOptions rule, Dictionary<string, Regex> patterns)
    {
        Regex? regex = null;
        if (rule.MessageRegex is { } pattern && !patterns.TryGetValue(pattern, out regex))
        {
            regex = Generation.UserPattern.Create(pattern, RegexOptions.CultureInvariant,
                backtrack: patterns.Count >= Generation.UserPattern.MaxWithoutBacktracking);
            patterns[pattern] = regex;
        }
        return new(rule.Scenario!, rule.AssistantId, rule.AssistantName, rule.Model, rule.MessageContains, regex, rule.Metadata);
    }
}
