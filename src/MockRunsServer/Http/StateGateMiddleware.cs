using Microsoft.AspNetCore.Http.Features;
using MockRunsServer.Runs;
using MockRunsServer.Store;

namespace MockRunsServer.Http;

/// <summary>
/// Holds a share of the <see cref="StateGate"/> while an endpoint runs, so that a reset never runs
/// in the middle of one. Just before the endpoint (after latency, faults and rate limits, which
/// change no objects), and after the request's body has arrived: a client sending it slowly must
/// not hold a reset back. The share is given back as the answer starts: a written answer was made
/// before, and a stream only writes what its run publishes (a reset ends it), so a client that
/// reads slowly or not at all never holds a reset back either.
/// </summary>
public sealed class StateGateMiddleware(RequestDelegate next, StateGate gate, RequestJournal journal, MockClock clock)
{
    /// <summary>Marks an endpoint that runs outside the gate: reset (which takes all of it) and the health probe.</summary>
    public sealed class Outside;

    /// <summary>
    /// The share a request holds, given back once only; with when the request got it, which is when
    /// it counts as made for the journal (after a reset it waited for, not before).
    /// </summary>
    public sealed class Lease(StateGate gate, int journalGeneration, long atMs)
    {
        private int released;

        public int JournalGeneration => journalGeneration;

        public long AtMs => atMs;

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
        if (context.GetEndpoint() is not { } endpoint || endpoint.Metadata.GetMetadata<Outside>() is not null)
        {
            await next(context);
            return;
        }
        var request = context.Request;
        if (!BufferedBody.IsBuffered(request))
        {
            if (request.ContentLength is > 0 and var length
                && length <= (context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? MaxBuffered))
            {
                await BufferedBody.ReadAsync(context, (int)length);
            }
            else if (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
            {
                await BufferedBody.ReadUnsizedAsync(context);
            }
        }
        await gate.EnterAsync(context.RequestAborted);
        var lease = new Lease(gate, journal.Generation, clock.NowMs);
        context.Features.Set(lease);
        context.Response.OnStarting(static state =>
        {
            ((Lease)state).Release();
            return Task.CompletedTask;
        }, lease);
        try
        {
            await next(context);
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>Where Kestrel's own limit is not known (the in-memory test server): Kestrel's default.</summary>
    private const long MaxBuffered = 30_000_000;
}
