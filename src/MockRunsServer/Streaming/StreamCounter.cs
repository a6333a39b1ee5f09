namespace MockRunsServer.Streaming;

/// <summary>
/// How many event streams are open (responses still being written) and how many of them a run
/// still holds as subscribers. Both fall back to zero when clients leave or runs end; /healthz
/// shows them, and tests wait on <see cref="WhenIdle"/> to prove a disconnect leaks nothing.
/// </summary>
public sealed class StreamCounter
{
    private readonly Lock gate = new();
    private int open;
    private int subscribed;
    private TaskCompletionSource? idle;

    public int Open
    {
        get { lock (gate) { return open; } }
    }

    public int Subscribed
    {
        get { lock (gate) { return subscribed; } }
    }

    /// <summary>Completes once no stream is open and no run holds a subscriber.</summary>
    public Task WhenIdle()
    {
        lock (gate)
        {
            if (open == 0 && subscribed == 0)
            {
                return Task.CompletedTask;
            }
            idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return idle.Task;
        }
    }

    internal void Opened() => Change(ref open, 1);

    internal void Closed() => Change(ref open, -1);

    internal void Subscribe() => Change(ref subscribed, 1);

    internal void Unsubscribe() => Change(ref subscribed, -1);

    private void Change(ref int count, int by)
    {
        TaskCompletionSource? reached = null;
        lock (gate)
        {
            count += by;
            if (open == 0 && subscribed == 0)
            {
                (reached, idle) = (idle, null);
            }
        }
        reached?.TrySetResult();
    }
}
