namespace MockRunsServer.Store;

/// <summary>
/// Makes a reset atomic with the requests around it: each request that may read or change the state
/// holds a share of the gate while it does, and a reset waits until none does, then runs alone. So a
/// request either happens wholly before a reset (and is wiped by it) or wholly after: none leaves an
/// object made with the old seeded ids or clock in the new state, or a run whose transition the reset
/// cleared. A waiting reset lets no new request in (else a busy server would never let it run).
/// </summary>
public sealed class StateGate
{
    private readonly Lock gate = new();
    private readonly SemaphoreSlim oneReset = new(1, 1);
    private int holders;

    /// <summary>Set while a reset waits or runs: the requests that come meanwhile wait for it.</summary>
    private TaskCompletionSource? resetting;

    /// <summary>Set while a reset waits for the requests already in to finish.</summary>
    private TaskCompletionSource? drained;

    /// <summary>Given out by <see cref="WhenResetPending"/> (made only when asked for) and completed when a reset arrives.</summary>
    private TaskCompletionSource? resetArrives;

    /// <summary>Completes once a reset waits or runs (at once if one does): a hook for tests, to order requests around a reset without polling.</summary>
    internal Task WhenResetPending()
    {
        lock (gate)
        {
            return resetting is not null ? Task.CompletedTask
                : (resetArrives ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>Takes a share; at once unless a reset waits or runs. A request whose client leaves meanwhile stops waiting.</summary>
    public ValueTask EnterAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (resetting is null)
            {
                holders++;
                return ValueTask.CompletedTask;
            }
        }
        return EnterAfterResetAsync(cancellationToken);
    }

    private async ValueTask EnterAfterResetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if (resetting is null)
                {
                    holders++;
                    return;
                }
                wait = resetting.Task;
            }
            await wait.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Gives a share back.</summary>
    public void Exit()
    {
        lock (gate)
        {
            holders--;
            if (holders == 0)
            {
                drained?.TrySetResult();
            }
        }
    }

    /// <summary>Runs <paramref name="reset"/> once no request holds a share, letting none in until it is done.</summary>
    public async Task<T> ExclusiveAsync<T>(Func<T> reset)
    {
        await oneReset.WaitAsync();
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            Task wait = Task.CompletedTask;
            lock (gate)
            {
                resetting = turn;
                resetArrives?.TrySetResult();
                resetArrives = null;
                if (holders > 0)
                {
                    drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = drained.Task;
                }
            }
            await wait;
            return reset();
        }
        finally
        {
            lock (gate)
            {
                resetting = null;
                drained = null;
            }
            turn.TrySetResult();
            oneReset.Release();
        }
    }
}
