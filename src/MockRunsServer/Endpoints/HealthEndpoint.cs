using MockRunsServer.Http;
using MockRunsServer.Runs;
using MockRunsServer.Store;
using MockRunsServer.Streaming;
using MockRunsServer.Wire;
using MockRunsServer.Wire.Control;

namespace MockRunsServer.Endpoints;

public static class HealthEndpoint
{
    public static IResult Get(MockStore store, RunScheduler scheduler, MockClock clock, StreamCounter streams) =>
        ApiResults.Json(new HealthState("ok", clock.ModeName, store.ThreadCount, scheduler.Count, streams.Open, streams.Subscribed), JsonContext.Relaxed.HealthState);
}
