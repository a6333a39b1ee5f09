using MockRunsServer.Runs;

namespace MockRunsServer.Wire.Control;

// Shapes of the control API under /_mock (contract section 3).

public sealed record ClockState(long Now, long NowMs, string Mode);

public sealed record AdvanceRequest(double? Seconds, double? To);

public sealed record AdvanceResult(long Now, long NowMs, string Mode, IReadOnlyList<FiredTransition> Fired);

public sealed record TransitionRequest(string Status, LastError? LastError);

/// <param name="OpenStreams">Event-stream responses still being written.</param>
/// <param name="StreamSubscribers">Streams a run still pushes events to (zero once clients left and runs ended).</param>
public sealed record HealthState(string Status, string ClockMode, int Threads, int ScheduledTransitions, int OpenStreams, int StreamSubscribers);

public sealed record ResetResult(bool Reset, long Now, long NowMs);

public sealed record RunSummaryList(IReadOnlyList<RunObject> Data, int Count)
{
    public string Object => "list";
}
