using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MockRunsServer.Options;
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
public sealed class StateGateMiddleware(RequestDelegate next, StateGate gate, RequestJournal journal, MockClock clock, IOptions<MockOptions> options)
{
    private readonly long maxBody = options.Value.MaxRequestBodyBytes;

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
        // A body declared over the limit is refused unread by the endpoint; one sent without a length
        // is read one byte past it at most, enough for the endpoint to refuse it.
        if (!BufferedBody.IsBuffered(request)
            && (request.ContentLength is > 0 and var length ? length <= maxBody : context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true))
        {
            await BufferedBody.ReadAsync(context, maxBody + 1);
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
}
