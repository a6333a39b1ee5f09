using System.Globalization;
using MockRunsServer.Scenarios;
using MockRunsServer.Wire;

namespace MockRunsServer.Http;

/// <summary>OpenAI's 429s — body and headers — for injected faults and for the rate limiter.</summary>
public static class RateLimitErrors
{
    /// <summary>The body OpenAI sent when its capacity was short (not tied to the caller's own limits).</summary>
    public const string InjectedMessage = "Rate limit reached for requests";

    public const string Organization = "org-mock";
    private const string LearnMore = "Visit https://platform.openai.com/account/rate-limits to learn more.";

    // What an injected 429 reports as the limits when Mock:RateLimits sets none (OpenAI's tier-1 figures for gpt-4o).
    public const long NominalRequestsPerMinute = 500;
    public const long NominalTokensPerMinute = 30_000;

    /// <summary>
    /// An injected 429. For a limit <c>Mock:RateLimits</c> sets, the x-ratelimit-* headers are the
    /// caller's budget as it stands (<paramref name="live"/>): a capacity 429 is not the caller's own
    /// budget running out. Without one, nominal figures: the requests budget spent (a full refill a
    /// minute away), the tokens budget untouched.
    /// </summary>
    public static ApiError Injected(LiveSettings settings, (RateBudget? Requests, RateBudget? Tokens) live)
    {
        var retryMs = (long)settings.Faults.RetryAfter.TotalMilliseconds;
        var headers = new List<KeyValuePair<string, string>>(8);
        AddRetryAfter(headers, retryMs);
        // OpenAI sent both dimensions: one without a limit set shows the nominal budget.
        AddBudget(headers, "requests", live.Requests ?? new RateBudget(NominalRequestsPerMinute, 0, 60_000));
        AddBudget(headers, "tokens", live.Tokens ?? new RateBudget(NominalTokensPerMinute, NominalTokensPerMinute, 0));
        return new ApiError(429, InjectedMessage, null, "rate_limit_exceeded", "requests") { Headers = headers };
    }

    /// <summary>
    /// The limiter refused a request: OpenAI's wording with the real figures. It names the model the
    /// request runs (<see cref="RateLimitModel"/>), as "Rate limit reached for gpt-4o in organization
    /// org-… on tokens per min (TPM)", and a request that runs none as "Rate limit reached for
    /// organization org-… on requests per min (RPM)".
    /// </summary>
    public static ApiError Exceeded(RateDecision decision, string? model)
    {
        var headers = new List<KeyValuePair<string, string>>(8);
        var scope = model is null ? $"organization {Organization}" : $"{model} in organization {Organization}";
        string message;
        if (decision.TooLarge)
        {
            var limit = decision.Tokens!.Value.Limit;
            message = $"Request too large for {scope} on tokens per min (TPM): Limit {limit}, Requested {decision.RequestedTokens}. " +
                      $"The input or output tokens must be reduced in order to run successfully. {LearnMore}";
        }
        else
        {
            var (budget, unit, requested) = decision.Exhausted == "requests"
                ? (decision.Requests!.Value, "requests per min (RPM)", 1L)
                : (decision.Tokens!.Value, "tokens per min (TPM)", decision.RequestedTokens);
            message = $"Rate limit reached for {scope} on {unit}: Limit {budget.Limit}, Used {budget.Limit - budget.Remaining}, " +
                      $"Requested {requested}. Please try again in {Durations.Format(decision.RetryAfterMs)}. {LearnMore}";
            AddRetryAfter(headers, decision.RetryAfterMs);
        }
        AddBudgets(headers, decision);
        return new ApiError(429, message, null, "rate_limit_exceeded", decision.Exhausted!) { Headers = headers };
    }

    /// <summary>The x-ratelimit-* headers for the dimensions the limiter enforces.</summary>
    public static void AddBudgets(List<KeyValuePair<string, string>> headers, RateDecision decision)
    {
        if (decision.Requests is { } requests)
        {
            AddBudget(headers, "requests", requests);
        }
        if (decision.Tokens is { } tokens)
        {
            AddBudget(headers, "tokens", tokens);
        }
    }

    public static void WriteBudgets(IHeaderDictionary headers, RateDecision decision)
    {
        var list = new List<KeyValuePair<string, string>>(6);
        AddBudgets(list, decision);
        foreach (var (name, value) in list)
        {
            headers[name] = value;
        }
    }

    private static void AddRetryAfter(List<KeyValuePair<string, string>> headers, long retryMs)
    {
        headers.Add(new("retry-after", Durations.CeilingSeconds(retryMs).ToString(CultureInfo.InvariantCulture)));
        headers.Add(new("retry-after-ms", retryMs.ToString(CultureInfo.InvariantCulture)));
    }

    private static void AddBudget(List<KeyValuePair<string, string>> headers, string dimension, RateBudget budget)
    {
        headers.Add(new($"x-ratelimit-limit-{dimension}", budget.Limit.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new($"x-ratelimit-remaining-{dimension}", budget.Remaining.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new($"x-ratelimit-reset-{dimension}", Durations.Format(budget.ResetMs)));
    }
}
