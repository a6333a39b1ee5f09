using MockRunsServer.Store;

namespace MockRunsServer.Http;

/// <summary>
/// What the middleware and endpoints tell each other about one request; the journal reads them.
/// One object per request, kept as a request feature: cheaper than <see cref="HttpContext.Items"/>,
/// which a request would otherwise create a dictionary for.
/// </summary>
public sealed class RequestNotes(RequestIds ids, bool forSession)
{
    private string? requestId;

    /// <summary>
    /// Drawn when first asked for, as the answer starts (or the journal records a dropped one), not as
    /// the request arrives: a request that waits out latency or a reset then draws after the reset has
    /// put the seeded ids back, never the id of a request made after it.
    /// </summary>
    public string RequestId => Volatile.Read(ref requestId) ?? Draw(forSession);

    /// <summary>
    /// The id for a request that was never answered (the client left first): one drawn already, or
    /// else one from outside the seeded stream, so that its leaving, whenever it comes, shifts none of
    /// the session's ids.
    /// </summary>
    public string UnansweredRequestId => Volatile.Read(ref requestId) ?? Draw(fromSession: false);

    private string Draw(bool fromSession)
    {
        // Under a lock: the request's thread (the answer starting) and the engine's (a stream's run
        // ending) may both ask first, and a seeded draw made and then thrown away would shift the ids.
        lock (this)
        {
            return requestId ??= ids.Next(fromSession);
        }
    }

    /// <summary>The key the request was authenticated with, for the rate limiter.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The fault answered instead of the endpoint (429, 500, 503, drop, rate_limit).</summary>
    public string? Fault { get; set; }

    public string? Scenario { get; private set; }

    public string? RunId { get; private set; }

    public string? ThreadId { get; private set; }

    /// <summary>The request's notes; null only outside the server's pipeline.</summary>
    public static RequestNotes? Of(HttpContext context) => context.Features.Get<RequestNotes>();

    /// <summary>A request that created a run: its id, thread and the scenario it was given.</summary>
    public static void Run(HttpContext context, RunRecord record)
    {
        if (Of(context) is { } notes)
        {
            notes.Scenario = record.Plan.Scenario;
            notes.RunId = record.Id;
            notes.ThreadId = record.Thread.Id;
        }
    }
}
