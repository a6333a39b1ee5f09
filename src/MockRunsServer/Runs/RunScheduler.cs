using MockRunsServer.Store;

namespace MockRunsServer.Runs;

public enum TransitionKind
{
    /// <summary>queued → in_progress.</summary>
    Start,

    /// <summary>Reveals the next piece of the message being written (no status change).</summary>
    Delta,

    /// <summary>in_progress → the plan's ending (completed, requires_action, failed, incomplete).</summary>
    Finish,

    /// <summary>cancelling → cancelled.</summary>
    CancelDone,

    /// <summary>queued, in_progress or requires_action at expires_at → expired.</summary>
    Expire,
}

/// <summary>A transition waiting in the queue; <see cref="Version"/> is the run's version when it was scheduled.</summary>
public readonly record struct ScheduledTransition(RunRecord Run, int Version, TransitionKind Kind, long DueMs);

/// <summary>
/// The one priority queue of every timed transition, keyed by due time (ties in scheduling
/// order). It only stores and hands out entries; <see cref="RunEngine"/> applies them.
/// There is no timer per run: one loop (real clock) or the advance call (manual clock) drains it.
/// </summary>
public sealed class RunScheduler
{
    private readonly PriorityQueue<ScheduledTransition, (long DueMs, long Order)> queue = new();
    private readonly Lock gate = new();
    private long order;
    private TaskCompletionSource wake = NewSignal();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    public long? NextDueMs
    {
        get
        {
            lock (gate)
            {
                return queue.TryPeek(out _, out var priority) ? priority.DueMs : null;
            }
        }
    }

    /// <summary>A task that completes when something is scheduled; the real-clock loop waits on it.</summary>
    public Task Changed
    {
        get
        {
            lock (gate)
            {
                return wake.Task;
            }
        }
    }

    public void Schedule(RunRecord run, TransitionKind kind, long dueMs)
    {
        run.NextDueMs = dueMs;
        run.Pending = kind;
        TaskCompletionSource? signal;
        lock (gate)
        {
            var wasEarliest = !queue.TryPeek(out _, out var head) || dueMs < head.DueMs;
            queue.Enqueue(new ScheduledTransition(run, run.Version, kind, dueMs), (dueMs, ++order));
            signal = wasEarliest ? wake : null;
            if (signal is not null)
            {
                wake = NewSignal();
            }
        }
        signal?.TrySetResult();
    }

    public bool TryTakeDue(long nowMs, out ScheduledTransition transition)
    {
        lock (gate)
        {
            if (queue.TryPeek(out transition, out var priority) && priority.DueMs <= nowMs)
            {
                queue.Dequeue();
                return true;
            }
        }
        transition = default;
        return false;
    }

    public void Clear()
    {
        lock (gate)
        {
            queue.Clear();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
