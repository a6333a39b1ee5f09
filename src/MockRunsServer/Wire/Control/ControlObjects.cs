using MockRunsServer.Runs;

namespace MockRunsServer.Wire.Control;

// Shapes of the control API under /_mock (contract section 3).

public sealed record ClockState(long Now, long NowMs, string Mode);

public sealed record AdvanceRequest(double? Seconds, double? To);

public sealed record AdvanceResult(long Now, long NowMs, string Mode, IReadOnlyList<FiredTransition> Fired);

public sealed record TransitionRequest(string Status, LastError? LastError);

public sealed record HealthState(string Status, string ClockMode, int Threads, int ScheduledTransitions);

public sealed record ResetResult(bool Reset, long Now, long NowMs);

public sealed record RunSummaryList(IReadOnlyList<RunObject> Data, int Count)
{
    public string Object => "list";
}
