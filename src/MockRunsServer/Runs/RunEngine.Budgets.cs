using MockRunsServer.Generation;
using MockRunsServer.Scenarios;
using MockRunsServer.Store;
using MockRunsServer.Wire;

namespace MockRunsServer.Runs;

// RunEngine, continued: the token budgets of a run: what max_prompt_tokens lets each call read, what max_completion_tokens leaves.
public sealed partial class RunEngine
{
    /// <summary>
    /// What max_completion_tokens leaves for the answer: the limit is for the whole run, so the tool
    /// calls, searches and code written before it count; null when there is no limit.
    /// </summary>
    private int? CompletionLeft(RunRecord record)
    {
        if (record.Run.MaxCompletionTokens is not { } max)
        {
            return null;
        }
        foreach (var slot in store.Steps.Of(record))
        {
            max -= store.Steps[slot].Usage?.CompletionTokens ?? 0;
        }
        return Math.Max(0, max);
    }

    /// <summary>Why the message being started will end incomplete, if it will: the scenario, or a token limit of the run.</summary>
    private string? IncompleteReasonFor(RunRecord record, string text, bool overPromptBudget)
    {
        if (record.Plan.Outcome == RunOutcome.Incomplete)
        {
            return record.Plan.IncompleteReason;
        }
        if (overPromptBudget)
        {
            return "max_prompt_tokens";
        }
        if (CompletionLeft(record) is { } left && TokenEstimator.Count(text) > left)
        {
            return "max_completion_tokens";
        }
        return null;
    }

    /// <summary>
    /// The prompt of the model call starting now, and whether it fits what <c>max_prompt_tokens</c>
    /// leaves: the limit is for the whole run, so each tool round's call has what earlier calls left
    /// (their prompt tokens are in the steps' usage). The call reads the instructions, this run's tool
    /// calls and outputs, and the thread's messages, the newest first: <c>last_messages</c> keeps that
    /// many, and <c>auto</c> drops the oldest that no longer fit the budget (OpenAI drops messages to
    /// fit it), never the newest. When even that does not fit, the call reads what the budget
    /// leaves and the run ends incomplete, so its usage never passes the limit.
    /// </summary>
    private (int Tokens, bool Fits) Prompt(RunRecord record, int calls = 1)
    {
        var run = record.Run;
        var messages = record.Thread.Messages;
        var budget = int.MaxValue;
        if (run.MaxPromptTokens is { } max)
        {
            budget = max;
            foreach (var slot in store.Steps.Of(record))
            {
                budget -= store.Steps[slot].Usage?.PromptTokens ?? 0;
            }
            // Calls still to come before the answer share what is left.
            budget /= calls;
        }
        var tokens = TokenEstimator.Count(run.Instructions);
        foreach (var slot in store.Steps.Of(record))
        {
            foreach (var call in store.Steps[slot].ToolCalls ?? [])
            {
                if (call.Function is { } function)
                {
                    tokens += TokenEstimator.Count(function.Arguments) + TokenEstimator.Count(function.Output);
                }
                else if (call.CodeInterpreter is { } code)
                {
                    tokens += TokenEstimator.Count(code.Input) + code.Outputs.Sum(output => TokenEstimator.Count(output.Logs));
                }
            }
        }
        var first = run.TruncationStrategy is { Type: "last_messages", LastMessages: { } last } ? Math.Max(0, messages.Count - last) : 0;
        var dropsToFit = run.TruncationStrategy.Type == "auto";
        for (var i = messages.Count - 1; i >= first; i--)
        {
            var message = MessageTokens(in messages[i].Value);
            if (dropsToFit && i < messages.Count - 1 && tokens + message > budget)
            {
                break;
            }
            tokens += message;
        }
        tokens = Math.Max(1, tokens);
        return tokens <= budget ? (tokens, true) : (Math.Max(0, budget), false);
    }

    /// <summary>A message's tokens: its text, and 85 for an image (OpenAI's cost of a low-detail image).</summary>
    private static int MessageTokens(in MessageSlot message)
    {
        // A message whose text is in the arena: counted from the length shown, without making its parts.
        if (message.WrittenLength is { } written)
        {
            return TokenEstimator.ForChars(written);
        }
        var tokens = 0;
        foreach (var part in message.Content)
        {
            tokens += part.Text is { } text ? TokenEstimator.ForChars(text.Value.Length) : 85;
        }
        return tokens;
    }
}
