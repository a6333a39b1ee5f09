using MockRunsServer.Runs;
using MockRunsServer.Wire;

namespace MockRunsServer.Store;

// StatePersistence, continued: the checks a loaded file must pass before any of it is served.
public sealed partial class StatePersistence
{
    private static readonly string[] MessageRoles = ["user", "assistant"];
    private static readonly string[] MessageStatuses = ["in_progress", "incomplete", "completed"];
    private static readonly string[] StepTypes = ["message_creation", "tool_calls"];
    private static readonly string[] StepStatuses = ["in_progress", "cancelled", "failed", "completed", "expired"];

    /// <summary>
    /// Refuses a file that reads as JSON but could not have been saved by the server: each object
    /// where it belongs, every id once, statuses it knows, one active run per thread. Serving such
    /// a state would show broken lists and stuck threads, and the next save would overwrite the file.
    /// (A run's current message may be missing: a client can delete the message a run is writing.)
    /// </summary>
    private static void EnsureConsistent(StateSnapshot snapshot)
    {
        if (snapshot.ManualClockMs is < 0)
        {
            throw new InvalidDataException($"manual_clock_ms {snapshot.ManualClockMs} is before 1970");
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        void Once(string? id, string what)
        {
            if (string.IsNullOrEmpty(id) || !ids.Add(id))
            {
                throw new InvalidDataException(string.IsNullOrEmpty(id) ? $"a {what} has no id" : $"{what} id {id} is already in use");
            }
        }
        foreach (var assistant in snapshot.Assistants ?? throw new InvalidDataException("assistants is null"))
        {
            Once(assistant?.Id, "assistant");
            EnsureInline(assistant!.Id, $"assistant {assistant.Id}");
        }
        EnsureRemovedPlaces(snapshot.RemovedAssistants, "removed_assistants");
        foreach (var saved in snapshot.Threads ?? throw new InvalidDataException("threads is null"))
        {
            var thread = saved?.Thread ?? throw new InvalidDataException("a thread entry has no thread");
            Once(thread.Id, "thread");
            foreach (var message in saved.Messages ?? throw new InvalidDataException($"thread {thread.Id} has null messages"))
            {
                Once(message?.Id, "message");
                EnsureInline(message!.Id, $"message {message.Id}");
                EnsureInline(message.RunId, $"message {message.Id}'s run_id");
                EnsureInline(message.AssistantId, $"message {message.Id}'s assistant_id");
                if (message!.ThreadId != thread.Id)
                {
                    throw new InvalidDataException($"message {message.Id} names thread {message.ThreadId} but is saved in {thread.Id}");
                }
                Known(message.Role, MessageRoles, $"message {message.Id} role");
                Known(message.Status, MessageStatuses, $"message {message.Id} status");
            }
            EnsureRemovedPlaces(saved.RemovedMessages, $"removed_messages of thread {thread.Id}");
            var active = 0;
            foreach (var run in saved.Runs ?? throw new InvalidDataException($"thread {thread.Id} has null runs"))
            {
                var wire = run?.Run ?? throw new InvalidDataException($"a run of thread {thread.Id} is null");
                if (run.Plan is null)
                {
                    throw new InvalidDataException($"run {wire.Id} has no plan");
                }
                Once(wire.Id, "run");
                // A run's reply keeps both in place (MessageSlot).
                EnsureInline(wire.Id, $"run {wire.Id}");
                EnsureInline(wire.AssistantId, $"run {wire.Id}'s assistant_id");
                if (wire.ThreadId != thread.Id)
                {
                    throw new InvalidDataException($"run {wire.Id} names thread {wire.ThreadId} but is saved in {thread.Id}");
                }
                if (!Enum.IsDefined(wire.Status) || run.Pending is { } pending && !Enum.IsDefined(pending))
                {
                    throw new InvalidDataException($"run {wire.Id} has an unknown status or pending transition");
                }
                if (wire.Status.IsActive() && ++active > 1)
                {
                    throw new InvalidDataException($"thread {thread.Id} has more than one active run");
                }
                if ((wire.Status == RunStatus.RequiresAction) != (wire.RequiredAction is not null))
                {
                    throw new InvalidDataException($"run {wire.Id} is {wire.Status.ToWire()} but {(wire.RequiredAction is null ? "has no" : "has a")} required_action");
                }
                if (!wire.Status.IsActive() && run.Pending is not null)
                {
                    throw new InvalidDataException($"run {wire.Id} has ended but still has a pending transition");
                }
                if (wire.Status.IsActive() && (run.Pending is not { } next || run.NextDueMs is null || !RunStateMachine.Applies(next, wire.Status)))
                {
                    // The engine would never move it, and its thread would refuse every new run.
                    throw new InvalidDataException(run.Pending is { } kind && run.NextDueMs is not null
                        ? $"run {wire.Id} is {wire.Status.ToWire()} but waits for a {kind} transition, which never applies to that status"
                        : $"run {wire.Id} is {wire.Status.ToWire()} but has no pending transition (pending and next_due_ms), so it would never move");
                }
                // Only a run under way writes a message: an ended one naming one would hold a slot that a
                // later message may take (MessageTable), and write into it.
                if (!wire.Status.IsActive() && (run.CurrentMessageId is not null || run.PendingText is not null))
                {
                    throw new InvalidDataException($"run {wire.Id} has ended but still names a message it is writing");
                }
                EnsureInline(run.CurrentMessageId, $"run {wire.Id}'s current_message_id");
                if (run.RevealedChars < 0 || run.PendingText is { } text && run.RevealedChars > text.Length)
                {
                    throw new InvalidDataException($"run {wire.Id} has revealed more text than it has");
                }
                foreach (var step in run.Steps ?? throw new InvalidDataException($"run {wire.Id} has null steps"))
                {
                    Once(step?.Id, "step");
                    EnsureInline(step!.Id, $"step {step.Id}");
                    EnsureInline(step.StepDetails.MessageCreation?.MessageId, $"step {step.Id}'s message_id");
                    if (step.RunId != wire.Id || step.ThreadId != thread.Id || step.AssistantId != wire.AssistantId)
                    {
                        throw new InvalidDataException($"step {step.Id} names run {step.RunId} of thread {step.ThreadId} (assistant {step.AssistantId}) but is saved in run {wire.Id} of thread {thread.Id} (assistant {wire.AssistantId})");
                    }
                    Known(step.Type, StepTypes, $"step {step.Id} type");
                    Known(step.Status, StepStatuses, $"step {step.Id} status");
                    EnsureStepKeepable(step);
                }
                if (run.CurrentStepId is { } stepId && !run.Steps.Exists(step => step.Id == stepId))
                {
                    throw new InvalidDataException($"run {wire.Id} names a current step {stepId} it does not have");
                }
            }
        }
    }

    /// <summary>Ids kept in place (<see cref="InlineId"/>) are the ones this server makes; null is no id.</summary>
    private static void EnsureInline(string? id, string what)
    {
        if (id is not null && !InlineId.Fits(id))
        {
            throw new InvalidDataException($"{what} has an id this server never makes (over {InlineId.MaxLength} characters or not ASCII)");
        }
    }

    /// <summary>
    /// A step is kept as its slot (<see cref="StepSlot"/>): details of its own type, with the message
    /// or the calls that type has, and no metadata (steps never have any). Anything else would be lost.
    /// </summary>
    private static void EnsureStepKeepable(RunStepObject step)
    {
        var details = step.StepDetails;
        var whole = step.Type == "tool_calls"
            ? details.ToolCalls is not null && details.MessageCreation is null
            : details.MessageCreation is { MessageId: not null } && details.ToolCalls is null;
        if (details.Type != step.Type || !whole)
        {
            throw new InvalidDataException($"step {step.Id} is a {step.Type} step whose step_details are not one ({details.Type})");
        }
        if (step.Metadata is { Count: > 0 })
        {
            throw new InvalidDataException($"step {step.Id} has metadata, which no step has");
        }
    }

    private static void EnsureRemovedPlaces(List<RemovedSnapshot>? removed, string what)
    {
        foreach (var entry in removed ?? [])
        {
            if (string.IsNullOrEmpty(entry?.Id) || entry.At < 0)
            {
                throw new InvalidDataException($"{what} has an entry without an id or with a place before the first ({entry?.At})");
            }
        }
    }

    /// <summary>A status or kind the server writes as a plain string: only the values it writes are served.</summary>
    private static void Known(string value, string[] known, string what)
    {
        if (!known.Contains(value, StringComparer.Ordinal))
        {
            throw new InvalidDataException($"{what} '{value}' is not one of {string.Join(", ", known)}");
        }
    }
}
