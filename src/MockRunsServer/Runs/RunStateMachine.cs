using MockRunsServer.Wire;

namespace MockRunsServer.Runs;

/// <summary>The run statuses' legal moves: which a scheduled transition makes, and which the control API may force.</summary>
public static class RunStateMachine
{
    /// <summary>Whether a transition of this kind moves a run in this status; any other found due is stale and skipped.</summary>
    public static bool Applies(TransitionKind kind, RunStatus status) => kind switch
    {
        TransitionKind.Start => status == RunStatus.Queued,
        TransitionKind.Delta or TransitionKind.Finish => status == RunStatus.InProgress,
        TransitionKind.CancelDone => status == RunStatus.Cancelling,
        TransitionKind.Expire => status is RunStatus.Queued or RunStatus.InProgress or RunStatus.RequiresAction,
        _ => false,
    };

    /// <summary>The moves the control API may force from each status (an ended run has none).</summary>
    public static readonly IReadOnlyDictionary<RunStatus, RunStatus[]> LegalTransitions = new Dictionary<RunStatus, RunStatus[]>
    {
        [RunStatus.Queued] = [RunStatus.InProgress, RunStatus.Cancelling, RunStatus.Expired],
        [RunStatus.InProgress] = [RunStatus.Completed, RunStatus.RequiresAction, RunStatus.Failed, RunStatus.Incomplete, RunStatus.Cancelling, RunStatus.Expired],
        [RunStatus.RequiresAction] = [RunStatus.Cancelling, RunStatus.Expired],
        [RunStatus.Cancelling] = [RunStatus.Cancelled],
    };
}
