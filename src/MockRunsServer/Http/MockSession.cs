using MockRunsServer.Generation;
using MockRunsServer.Runs;
using MockRunsServer.Scenarios;
using MockRunsServer.Store;

namespace MockRunsServer.Http;

/// <summary>
/// Everything a session holds that <c>POST /_mock/reset</c> puts back: the objects and the
/// transitions scheduled for them, the seeded draws, the live config, the journal, queued faults,
/// rate-limit budgets and the manual clock. Only what must start afresh is listed here; a part
/// added to the server with state of its own joins it.
/// </summary>
public sealed class MockSession(StateGate gate, RunEngine engine, MockStore store, RunScheduler scheduler, MockClock clock, MockRandom random,
    LiveConfig config, RequestJournal journal, FaultInjector faults, LatencyPlanner latency, RateLimiter limiter, RequestIds requestIds)
{
    /// <summary>Resets alone: after the requests in progress, before those that come meanwhile, with no transition firing (they draw ids and schedule too).</summary>
    public Task<long> ResetAsync() => gate.ExclusiveAsync(() => engine.Exclusively(() =>
    {
        store.Clear();
        scheduler.Clear();
        random.Reset();
        config.Reset();
        journal.Reset();
        faults.Reset();
        latency.Reset();
        limiter.Reset();
        requestIds.Reset();
        clock.ResetToStart();
        return clock.NowMs;
    }));

    /// <summary>
    /// After a saved state is loaded: the request ids and the fault and latency draws come from seeded
    /// streams of their own, which would otherwise hand out the saved session's x-request-id values
    /// again (the store's own ids go on in <see cref="StatePersistence.Load"/>).
    /// </summary>
    public void ContinueAfter(int loadedSession)
    {
        requestIds.ContinueAfter(loadedSession);
        faults.ContinueAfter(loadedSession);
        latency.ContinueAfter(loadedSession);
    }
}
