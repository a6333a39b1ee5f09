using MockRunsServer.Options;
using MockRunsServer.Wire;

namespace MockRunsServer.Scenarios;

/// <summary>A named scenario: a built-in, or one from <c>Mock:Scenarios</c> layered over the built-in of its outcome.</summary>
public sealed record ScenarioDefinition(
    string Name,
    RunOutcome Outcome,
    LastError? Error,
    string IncompleteReason,
    int ToolRounds,
    string? MessageText,
    TimeSpan? Queued,
    TimeSpan? InProgress,
    TimeSpan? Cancelling)
{
    /// <summary>The last_error message of a run that failed on OpenAI's side (server_error), not an HTTP answer's.</summary>
    public const string RunFailureMessage = "Sorry, something went wrong.";
    public const string RateLimitMessage = "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.";
    public const string InvalidPromptMessage = "Invalid prompt: your prompt was flagged as potentially violating our usage policy. Please try again with a different prompt.";

    public static readonly IReadOnlyDictionary<string, ScenarioDefinition> BuiltIn = new Dictionary<string, ScenarioDefinition>(StringComparer.Ordinal)
    {
        ["complete"] = Simple("complete", RunOutcome.Complete),
        ["tool_call"] = Simple("tool_call", RunOutcome.ToolCall),
        ["fail"] = Simple("fail", RunOutcome.Fail) with { Error = new LastError("server_error", RunFailureMessage) },
        ["rate_limit"] = Simple("rate_limit", RunOutcome.Fail) with { Error = new LastError("rate_limit_exceeded", RateLimitMessage) },
        ["invalid_prompt"] = Simple("invalid_prompt", RunOutcome.Fail) with { Error = new LastError("invalid_prompt", InvalidPromptMessage) },
        ["incomplete"] = Simple("incomplete", RunOutcome.Incomplete),
        ["expire"] = Simple("expire", RunOutcome.Expire),
    };

    public static readonly IReadOnlyDictionary<string, RunOutcome> OutcomeNames = new Dictionary<string, RunOutcome>(StringComparer.OrdinalIgnoreCase)
    {
        ["complete"] = RunOutcome.Complete,
        ["tool_call"] = RunOutcome.ToolCall,
        ["fail"] = RunOutcome.Fail,
        ["incomplete"] = RunOutcome.Incomplete,
        ["expire"] = RunOutcome.Expire,
    };

    public static readonly string[] ErrorCodes = ["server_error", "rate_limit_exceeded", "invalid_prompt"];
    public static readonly string[] IncompleteReasons = ["max_completion_tokens", "max_prompt_tokens"];

    private static ScenarioDefinition Simple(string name, RunOutcome outcome) =>
        new(name, outcome, null, "max_completion_tokens", 1, null, null, null, null);

    /// <summary>A configured scenario; its outcome defaults to the built-in of the same name, else <c>complete</c>.</summary>
    public static ScenarioDefinition FromOptions(string name, ScenarioOptions options)
    {
        var outcome = options.Outcome is { } outcomeName
            ? OutcomeNames[outcomeName]
            : BuiltIn.TryGetValue(name, out var same) ? same.Outcome : RunOutcome.Complete;
        var basis = BuiltIn.TryGetValue(name, out var builtIn) && builtIn.Outcome == outcome
            ? builtIn
            : Simple(name, outcome);
        if (outcome == RunOutcome.Fail && basis.Error is null)
        {
            basis = basis with { Error = new LastError("server_error", RunFailureMessage) };
        }

        var error = basis.Error;
        if (error is not null && (options.ErrorCode is not null || options.ErrorMessage is not null))
        {
            var code = options.ErrorCode ?? error.Code;
            var message = options.ErrorMessage ?? DefaultMessage(code);
            error = new LastError(code, message);
        }

        return basis with
        {
            Name = name,
            Error = error,
            IncompleteReason = options.IncompleteReason ?? basis.IncompleteReason,
            ToolRounds = options.ToolCalls ?? basis.ToolRounds,
            MessageText = options.MessageText ?? basis.MessageText,
            Queued = options.Queued,
            InProgress = options.InProgress,
            Cancelling = options.Cancelling,
        };
    }

    public static string DefaultMessage(string code) => code switch
    {
        "rate_limit_exceeded" => RateLimitMessage,
        "invalid_prompt" => InvalidPromptMessage,
        _ => RunFailureMessage,
    };
}
