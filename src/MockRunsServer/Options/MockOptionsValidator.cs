using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MockRunsServer.Scenarios;

namespace MockRunsServer.Options;

/// <summary>Checks the whole <c>Mock</c> section at start-up; every message names the key at fault.</summary>
public sealed class MockOptionsValidator : IValidateOptions<MockOptions>
{
    public ValidateOptionsResult Validate(string? name, MockOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The latest start (in the year 5138) from which the clock can still move by hand: the most <c>to</c> takes on advance.</summary>
    public const double MaxClockStart = 1e11;

    public static List<string> Check(MockOptions options)
    {
        var errors = new List<string>();
        CheckTimings(options.Timings, errors);
        if (options.Clock.Start is { } start && start is not (>= 0 and <= MaxClockStart))
        {
            errors.Add("Mock:Clock:Start must be a Unix time in seconds from 0 to 100000000000.");
        }
        if (options.PollAfterMaxMs < 1)
        {
            errors.Add("Mock:PollAfterMaxMs must be at least 1.");
        }
        if (!Enum.IsDefined(options.Clock.Mode))
        {
            errors.Add("Mock:Clock:Mode must be real or manual.");
        }
        if (options.MaxRequestBodyBytes is < 1024 or > MaxRequestBody)
        {
            // Kestrel refuses larger bodies itself, whatever this says.
            errors.Add($"Mock:MaxRequestBodyBytes must be between 1024 and {MaxRequestBody}.");
        }
        if (options.Generation.MinWords < 1 || options.Generation.MaxWords < options.Generation.MinWords || options.Generation.MaxWords > MaxWords)
        {
            errors.Add($"Mock:Generation:MinWords must be at least 1 and Mock:Generation:MaxWords from MinWords to {MaxWords}.");
        }

        if (options.Persistence.Interval < TimeSpan.FromMilliseconds(100) || options.Persistence.Interval > TimeSpan.FromDays(1))
        {
            errors.Add("Mock:Persistence:Interval must be between 00:00:00.100 and 1.00:00:00.");
        }
        if (options.Admin.ApiKey is { Length: > 0 } adminKey && string.IsNullOrWhiteSpace(adminKey))
        {
            // Empty means no key, as for every optional setting (compose's ${ADMIN_KEY:-}); only spaces are refused.
            errors.Add("Mock:Admin:ApiKey must not be only spaces (leave it out or empty for no key).");
        }
        if (options.Retention.MaxThreads is < 1)
        {
            errors.Add("Mock:Retention:MaxThreads must be at least 1 (or absent for no limit).");
        }
        if (options.Streaming.Chunks is < 1 or > 1000)
        {
            errors.Add("Mock:Streaming:Chunks must be between 1 and 1000.");
        }

        CheckFaults(options.Faults, errors);
        CheckRateLimits(options.RateLimits, errors);
        CheckDuration("Mock:Latency:Fixed", options.Latency.Fixed, errors, MaxLatency);
        CheckDuration("Mock:Latency:Jitter", options.Latency.Jitter, errors, MaxLatency);
        for (var i = 0; i < options.Auth.ApiKeys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Auth.ApiKeys[i]))
            {
                errors.Add($"Mock:Auth:ApiKeys:{i} must not be empty.");
            }
        }
        if (options.Journal.Size is < 0 or > 1_000_000)
        {
            errors.Add("Mock:Journal:Size must be between 0 (off) and 1000000.");
        }
        if (options.Journal.MaxBodyBytes is < 0 or > MaxJournalBody)
        {
            errors.Add($"Mock:Journal:MaxBodyBytes must be between 0 and {MaxJournalBody}.");
        }

        var known = new HashSet<string>(ScenarioDefinition.BuiltIn.Keys, StringComparer.Ordinal);
        foreach (var (scenarioName, scenario) in options.Scenarios)
        {
            var key = $"Mock:Scenarios:{scenarioName}";
            known.Add(scenarioName);
            if (scenario.Outcome is { } outcome && !ScenarioDefinition.OutcomeNames.ContainsKey(outcome))
            {
                errors.Add($"{key}:Outcome '{outcome}' is not one of {string.Join(", ", ScenarioDefinition.OutcomeNames.Keys)}.");
            }
            if (scenario.ErrorCode is { } code && !ScenarioDefinition.ErrorCodes.Contains(code))
            {
                errors.Add($"{key}:ErrorCode '{code}' is not one of {string.Join(", ", ScenarioDefinition.ErrorCodes)}.");
            }
            if (scenario.IncompleteReason is { } reason && !ScenarioDefinition.IncompleteReasons.Contains(reason))
            {
                errors.Add($"{key}:IncompleteReason '{reason}' is not one of {string.Join(", ", ScenarioDefinition.IncompleteReasons)}.");
            }
            if (scenario.ToolCalls is < 1 or > 20)
            {
                errors.Add($"{key}:ToolCalls must be between 1 and 20.");
            }
            CheckDuration($"{key}:Queued", scenario.Queued, errors);
            CheckDuration($"{key}:InProgress", scenario.InProgress, errors);
            CheckDuration($"{key}:Cancelling", scenario.Cancelling, errors);
        }

        foreach (var (scenarioName, weight) in options.Outcomes)
        {
            if (!known.Contains(scenarioName))
            {
                errors.Add($"Mock:Outcomes:{scenarioName} names no scenario (known: {string.Join(", ", known.Order())}).");
            }
            if (weight < 0 || double.IsNaN(weight) || double.IsInfinity(weight))
            {
                errors.Add($"Mock:Outcomes:{scenarioName} must be a weight of 0 or more.");
            }
        }
        if (double.IsInfinity(options.Outcomes.Values.Sum()))
        {
            // Each weight finite, the sum not: every draw would fall past the last weight and end as complete.
            errors.Add("Mock:Outcomes must add up to a finite number: use smaller weights (only their ratios matter).");
        }

        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            var key = $"Mock:Rules:{i}";
            if (string.IsNullOrEmpty(rule.Scenario))
            {
                errors.Add($"{key}:Scenario is required.");
            }
            else if (!known.Contains(rule.Scenario))
            {
                errors.Add($"{key}:Scenario '{rule.Scenario}' names no scenario.");
            }
            if (rule.MessageRegex is { } pattern)
            {
                try
                {
                    _ = new Regex(pattern);
                }
                catch (ArgumentException)
                {
                    errors.Add($"{key}:MessageRegex is not a valid regular expression.");
                }
            }
        }
        return errors;
    }

    private static void CheckTimings(TimingOptions timings, List<string> errors)
    {
        CheckDuration("Mock:Timings:Queued", timings.Queued, errors);
        CheckDuration("Mock:Timings:InProgress", timings.InProgress, errors);
        CheckDuration("Mock:Timings:Cancelling", timings.Cancelling, errors);
        if (timings.Expiry < TimeSpan.FromMilliseconds(1))
        {
            errors.Add("Mock:Timings:Expiry must be at least 00:00:00.001.");
        }
        if (timings.Jitter is < 0 or >= 1 || double.IsNaN(timings.Jitter))
        {
            errors.Add("Mock:Timings:Jitter must be a fraction from 0 up to (not including) 1.");
        }
    }

    private static readonly TimeSpan MaxLatency = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);
    private const int MaxPerMinute = 100_000_000;
    private const int MaxJournalBody = 16 * 1024 * 1024;

    /// <summary>Kestrel's own limit on a request body.</summary>
    public const long MaxRequestBody = 30_000_000;

    /// <summary>A 6 MB message: far past any real reply, and well inside what the generator's arithmetic holds.</summary>
    private const int MaxWords = 1_000_000;

    private static void CheckFaults(FaultOptions faults, List<string> errors)
    {
        var each = new (string Name, double Value)[]
        {
            ("RateLimit", faults.RateLimit), ("ServerError", faults.ServerError),
            ("ServiceUnavailable", faults.ServiceUnavailable), ("Drop", faults.Drop),
        };
        var valid = true;
        foreach (var (name, value) in each)
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                errors.Add($"Mock:Faults:{name} must be a probability from 0 to 1.");
                valid = false;
            }
        }
        if (valid && faults.Total() > 1 + 1e-9)
        {
            errors.Add($"Mock:Faults probabilities (RateLimit + ServerError + ServiceUnavailable + Drop) must add up to at most 1, not {faults.Total().ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
        CheckDuration("Mock:Faults:RetryAfter", faults.RetryAfter, errors, MaxRetryAfter);
    }

    private static void CheckRateLimits(RateLimitOptions limits, List<string> errors)
    {
        if (limits.RequestsPerMinute is < 1 or > MaxPerMinute)
        {
            errors.Add($"Mock:RateLimits:RequestsPerMinute must be between 1 and {MaxPerMinute} (or absent for no limit).");
        }
        if (limits.TokensPerMinute is < 1 or > MaxPerMinute)
        {
            errors.Add($"Mock:RateLimits:TokensPerMinute must be between 1 and {MaxPerMinute} (or absent for no limit).");
        }
    }

    private static void CheckDuration(string key, TimeSpan? value, List<string> errors) =>
        CheckDuration(key, value, errors, TimeSpan.FromDays(1));

    private static void CheckDuration(string key, TimeSpan? value, List<string> errors, TimeSpan max)
    {
        if (value is { } duration && (duration < TimeSpan.Zero || duration > max))
        {
            // A bare number is days to TimeSpan ("2" is 2.00:00:00), which a reader of the message would not guess.
            errors.Add($"{key} must be between 00:00:00 and {max:c}; it was read as {duration:c} (a duration is [d.]hh:mm:ss[.fff]: 00:00:02 is two seconds, a bare 2 two days).");
        }
    }
}
