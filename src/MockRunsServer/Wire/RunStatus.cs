using System.Text.Json.Serialization;

namespace MockRunsServer.Wire;

[JsonConverter(typeof(StrictStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("in_progress")] InProgress,
    [JsonStringEnumMemberName("requires_action")] RequiresAction,
    [JsonStringEnumMemberName("cancelling")] Cancelling,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("incomplete")] Incomplete,
    [JsonStringEnumMemberName("expired")] Expired,
}

public static class RunStatusNames
{
    public static string ToWire(this RunStatus status) => status switch
    {
        RunStatus.Queued => "queued",
        RunStatus.InProgress => "in_progress",
        RunStatus.RequiresAction => "requires_action",
        RunStatus.Cancelling => "cancelling",
        RunStatus.Cancelled => "cancelled",
        RunStatus.Failed => "failed",
        RunStatus.Completed => "completed",
        RunStatus.Incomplete => "incomplete",
        RunStatus.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string value, out RunStatus status)
    {
        foreach (var candidate in Enum.GetValues<RunStatus>())
        {
            if (candidate.ToWire() == value)
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    public static bool IsTerminal(this RunStatus status) =>
        status is RunStatus.Completed or RunStatus.Failed or RunStatus.Cancelled or RunStatus.Incomplete or RunStatus.Expired;

    public static bool IsActive(this RunStatus status) => !status.IsTerminal();
}
