using MockRunsServer.Wire;

namespace MockRunsServer.Scenarios;

[System.Text.Json.Serialization.JsonConverter(typeof(StrictStringEnumConverter<RunOutcome>))]
public enum RunOutcome
{
    Complete,
    ToolCall,
    Fail,
    Incomplete,
    Expire,
}

/// <summary>
/// How one run will go, fixed when it is created (later config changes don't touch it): its
/// timings and the jitter each wait is drawn with (a state saved before the jitter was kept here
/// loads with none).
/// </summary>
public sealed record RunPlan(
    string Scenario,
    RunOutcome Outcome,
    int ToolRounds,
    LastError? Error,
    string IncompleteReason,
    string? MessageText,
    TimeSpan Queued,
    TimeSpan InProgress,
    TimeSpan Cancelling,
    double Jitter = 0);
