using MockRunsServer.Runs;

namespace MockRunsServer.Http;

/// <summary>
/// Waits before the OpenAI routes answer, without holding a thread. The wait is wall-clock time
/// in both clock modes: <see cref="MockClock"/> hands timers to the underlying
/// <see cref="TimeProvider"/>, so a manual clock that stands still doesn't hold requests back
/// (latency simulates the network, not the run lifecycle) — and tests drive it with a fake one.
/// </summary>
public sealed class LatencyMiddleware(RequestDelegate next, LatencyPlanner planner, MockClock clock, IHostApplicationLifetime lifetime)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!MockPaths.IsOpenAI(context.Request.Path))
        {
            return next(context);
        }
        var delay = planner.Next();
        return delay > TimeSpan.Zero ? DelayedAsync(context, delay) : next(context);
    }

    private async Task DelayedAsync(HttpContext context, TimeSpan delay)
    {
        // A stopping server answers at once rather than hold its shutdown (and the state save) for the wait.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(delay, clock, wait.Token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
        }
        await next(context);
    }
}
