using MockRunsServer.Store;
using MockRunsServer.Wire;

namespace MockRunsServer.Runs;

/// <summary>When a run will next change on its own, which the poll hint (openai-poll-after-ms) tells the SDKs' poll loops.</summary>
public static class RunTiming
{
    /// <summary>
    /// Milliseconds until the run's next scheduled change, for runs that are moving on their own
    /// (at least 1, at most <paramref name="capMs"/>); null for a run that waits for the client or
    /// has ended. The pieces of text an in-progress run reveals change its message, not the run,
    /// so the hint looks past them to the run's own next change: a poll loop that reads the run
    /// wakes only when it moves. The caller holds the thread's lock.
    /// </summary>
    public static long? PollAfterMs(RunRecord record, long nowMs, int capMs)
    {
        if (record.Run.Status is not (RunStatus.Queued or RunStatus.InProgress or RunStatus.Cancelling))
        {
            return null;
        }
        var wait = record.NextDueMs is { } due ? RunChangeDueMs(record, due) - nowMs : capMs;
        return Math.Clamp(wait, 1, capMs);
    }

    /// <summary>When the run itself next changes: for a pending piece of text, the finish after the pieces left (never past its expiry).</summary>
    private static long RunChangeDueMs(RunRecord record, long due) =>
        record.Pending == TransitionKind.Delta
            ? Math.Min(due + Math.Max(0, record.PiecesLeft - 1) * record.PieceIntervalMs, record.ExpiresAtMs)
            : due;
}
