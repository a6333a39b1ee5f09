using Microsoft.Extensions.Time.Testing;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>A fake time provider that counts the timers created and not yet disposed.</summary>
public sealed class TimerCountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock gate = new();
    private readonly List<(int Most, TaskCompletionSource Reached)> waiters = [];
    private int live;

    public int LiveTimers => Volatile.Read(ref live);

    /// <summary>Completes once no more than <paramref name="most"/> timers are live: when the last one over is disposed, not on a poll.</summary>
    public Task WhenLiveTimersAtMost(int most)
    {
        lock (gate)
        {
            if (live <= most)
            {
                return Task.CompletedTask;
            }
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((most, reached));
            return reached.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (gate)
        {
            live++;
        }
        return new Counted(base.CreateTimer(callback, state, dueTime, period), this);
    }

    private void Released()
    {
        lock (gate)
        {
            live--;
            foreach (var waiter in waiters.Where(waiter => live <= waiter.Most).ToList())
            {
                waiters.Remove(waiter);
                waiter.Reached.SetResult();
            }
        }
    }

    private sealed class Counted(ITimer inner, TimerCountingTimeProvider owner) : ITimer
    {
        private int disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Released();
            }
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
