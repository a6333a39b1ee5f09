using System.Text.RegularExpressions;
using MockRunsServer.Generation;
using MockRunsServer.Options;
using MockRunsServer.Scenarios;

namespace MockRunsServer.Tests.Scenarios;

/// <summary>
/// A rule's MessageRegex is matched without backtracking (so whether it matches never depends on the
/// machine's load), but such a regex holds hundreds of KB: a config shares one per pattern and makes
/// at most 32, so a PUT of thousands of rules cannot hold gigabytes.
/// </summary>
public sealed class RulePatternTests
{
    private static ScenarioConfig ConfigWith(IEnumerable<string> patterns)
    {
        var options = new MockOptions();
        options.Rules.AddRange(patterns.Select(pattern => new RuleOptions { Scenario = "fail", MessageRegex = pattern }));
        return ScenarioConfig.From(options);
    }

    private static bool Backtracks(ScenarioRule rule) => (rule.MessageRegex!.Options & RegexOptions.NonBacktracking) == 0;

    [Fact]
    public void The_first_32_different_patterns_do_not_backtrack_and_the_rest_do_with_a_timeout()
    {
        var config = ConfigWith(Enumerable.Range(0, UserPattern.MaxWithoutBacktracking + 8).Select(i => $"^order {i}$"));

        Assert.All(config.Rules.Take(UserPattern.MaxWithoutBacktracking), rule => Assert.False(Backtracks(rule)));
        Assert.All(config.Rules.Skip(UserPattern.MaxWithoutBacktracking), rule =>
        {
            Assert.True(Backtracks(rule));
            Assert.Equal(UserPattern.BacktrackingTimeout, rule.MessageRegex!.MatchTimeout);
            Assert.Matches(rule.MessageRegex, $"order {config.Rules.ToList().IndexOf(rule)}");
        });
    }

    [Fact]
    public void Rules_with_the_same_pattern_share_one_regex()
    {
        var config = ConfigWith(Enumerable.Repeat("refund", 100).Append("cancel"));

        Assert.Same(config.Rules[0].MessageRegex, config.Rules[99].MessageRegex);
        Assert.All(config.Rules, rule => Assert.False(Backtracks(rule)));
    }
}
