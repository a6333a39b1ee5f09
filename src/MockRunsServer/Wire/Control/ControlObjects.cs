using MockRunsServer.Runs;

namespace MockRunsServer.Wire.Control;

// Shapes of the control API under /_mock (contract section 3).

public sealed record ClockState(long Now, long NowMs, string Mode);

public sealed record AdvanceRequest(double? Seconds, double? To);

public sealed record AdvanceResult(long Now, long NowMs, string Mode, IReadOnlyList<FiredTransition> Fired);

public sealed record TransitionRequest([property: System.ComponentModel.DataAnnotations.Required] string Status, LastError? LastError);

/// <param name="OpenStreams">Event-stream responses still being written.</param>
/// <param name="StreamSubscribers">Streams a run still pushes events to (zero once clients left and runs ended).</param>
public sealed record HealthState(string Status, string ClockMode, int Threads, int ScheduledTransitions, int OpenStreams, int StreamSubscribers);

public sealed record ResetResult(bool Reset, long Now, long NowMs);

public sealed record RunSummaryList(IReadOnlyList<RunObject> Data, int Count)
{
    public string Object => "list";
}

/// <summary>A request in the journal (<c>GET /_mock/requests</c>).</summary>
public sealed record JournalEntry(
    [property: System.Text.Json.Serialization.JsonPropertyOrder(-1)] string Object,
    long Seq,
    double At,
    string Method,
    string Path,
    string? Query,
    int? Status,
    double DurationMs,
    string? RequestId,
    string? Scenario,
    string? RunId,
    string? ThreadId,
    string? Fault,
    int? RetryCount,
    System.Text.Json.JsonElement? Body,
    bool BodyTruncated,
    IReadOnlyDictionary<string, string>? Headers);

public sealed record JournalList(IReadOnlyList<JournalEntry> Data, int Count, int Capacity)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "list";
}

public sealed record JournalCleared(bool Cleared, int Removed);

/// <summary>
/// Body of <c>POST /_mock/faults/next</c>: the next <c>count</c> requests on the OpenAI routes (those
/// whose path <c>path</c>, a regular expression, is found in, and whose method is <c>method</c>,
/// when given) fail with <c>fault</c>, after the entries queued before.
/// </summary>
public sealed record FaultQueueRequest([property: System.ComponentModel.DataAnnotations.Required] string Fault, int? Count, string? Path, string? Method);

/// <summary>One entry of the queue: how many more matching requests it fails.</summary>
public sealed record QueuedFault(string Fault, int Remaining, string? Path, string? Method);

/// <summary>The faults still queued, in order: <c>fault</c> is the first entry's (null when none is), <c>remaining</c> the entries' sum.</summary>
public sealed record FaultQueueState(string? Fault, int Remaining, IReadOnlyList<QueuedFault> Queue);
