using Microsoft.Extensions.Options;
using MockRunsServer.Generation;
using MockRunsServer.Options;
using MockRunsServer.Runs;
using MockRunsServer.Scenarios;

namespace MockRunsServer.Http;

/// <summary>The <c>Mock:Latency</c> delay for the next request: the fixed part plus a seeded share of the jitter.</summary>
public sealed class LatencyPlanner(LiveConfig config, IOptions<MockOptions> options)
{
    private const int Salt = 0x1A7E;
    private readonly DerivedRandom random = new(options.Value.Seed, Salt);

    public TimeSpan Next()
    {
        var latency = config.Settings.Latency;
        return latency.Jitter > TimeSpan.Zero ? latency.Fixed + latency.Jitter * random.NextDouble() : latency.Fixed;
    }

    public void Reset() => random.Reset();

    /// <summary>After a saved state is loaded: the draws go on anew, as the ids do.</summary>
    public void ContinueAfter(int session) => random.ContinueAfter(session);
}

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
