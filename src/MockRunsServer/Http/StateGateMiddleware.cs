using MockRunsServer.Store;

namespace MockRunsServer.Http;

/// <summary>
/// Holds a share of the <see cref="StateGate"/> while an endpoint runs, so that a reset never runs
/// in the middle of one. Just before the endpoint (after latency, faults and rate limits, which
/// change no objects). A stream gives its share back once it starts sending (<see cref="Lease"/>): it
/// only writes what the run publishes, and a reset ends it.
/// </summary>
public sealed class StateGateMiddleware(RequestDelegate next, StateGate gate)
{
    /// <summary>Marks the endpoint that takes the whole gate itself (reset), which must not hold a share.</summary>
    public sealed class Exclusive;

    /// <summary>The share a request holds, for a stream to give back early; given back once only.</summary>
    public sealed class Lease(StateGate gate)
    {
        private int released;

        public void Release()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Exit();
            }
        }
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not { } endpoint || endpoint.Metadata.GetMetadata<Exclusive>() is not null)
        {
            await next(context);
            return;
        }
        await gate.EnterAsync();
        var lease = new Lease(gate);
        context.Features.Set(lease);
        try
        {
            await next(context);
        }
        finally
        {
            lease.Release();
        }
    }
}
