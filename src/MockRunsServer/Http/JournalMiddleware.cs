using System.Diagnostics;
using MockRunsServer.Runs;

namespace MockRunsServer.Http;

/// <summary>
/// Records every request outside the control API, health probe and Swagger in the
/// <see cref="RequestJournal"/> as its answer starts (a stream: before its [DONE]; a drop: before the abort). Outermost, so it sees the final status of
/// every answer, errors and faults included. A body whose Content-Length is within
/// <c>Mock:Journal:MaxBodyBytes</c> is read up front (so even a request refused before its
/// endpoint shows what it sent) and handed on from memory; a larger one is marked truncated.
/// </summary>
public sealed class JournalMiddleware(RequestDelegate next, RequestJournal journal, MockClock clock)
{
    /// <summary>
    /// Lets the code that ends a request record it first, so that a client that sees the end and asks
    /// the journal at once finds it: a dropped connection before its abort, a stream before its [DONE].
    /// </summary>
    public sealed class Recorder(Action<bool> record)
    {
        /// <summary>Records the request now (once only); <paramref name="started"/>: its answer has begun.</summary>
        public void RecordNow(bool started) => record(started);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!MockPaths.IsJournaled(request.Path))
        {
            await next(context);
            return;
        }
        var generation = journal.Generation;
        var atMs = clock.NowMs;
        var startedAt = Stopwatch.GetTimestamp();
        var length = request.ContentLength ?? 0;
        var truncated = length > journal.MaxBodyBytes;
        var body = length > 0 && !truncated ? await BufferedBody.ReadAsync(context, (int)length) : null;
        var recorded = false;
        void Record(bool started)
        {
            if (recorded)
            {
                return;
            }
            recorded = true;
            var fault = RequestNotes.Get(context, RequestNotes.Fault);
            var dropped = fault == "drop" || (context.RequestAborted.IsCancellationRequested && !started);
            // A request that waited for a reset at the state gate counts from when it got through.
            var entered = context.Features.Get<StateGateMiddleware.Lease>();
            journal.Add(entered?.JournalGeneration ?? generation, new JournalRecord(
                entered?.AtMs ?? atMs,
                request.Method,
                request.Path.Value ?? string.Empty,
                request.QueryString.HasValue ? request.QueryString.Value![1..] : null,
                dropped ? null : context.Response.StatusCode,
                Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds,
                RequestNotes.Get(context, OpenAIMiddleware.RequestIdKey),
                RequestNotes.Get(context, RequestNotes.Scenario),
                RequestNotes.Get(context, RequestNotes.RunId) ?? context.GetRouteValue("run_id") as string,
                RequestNotes.Get(context, RequestNotes.ThreadId) ?? context.GetRouteValue("thread_id") as string,
                fault,
                RetryCount(request),
                body,
                truncated));
        }

        context.Features.Set(new Recorder(Record));
        // An answer of known length is recorded before its first byte leaves: a client that has read
        // all of it and asks the journal at once, on another connection, finds it there. A stream
        // is recorded when it ends, so that its duration is the whole stream's.
        context.Response.OnStarting(() =>
        {
            if (context.Response.ContentLength is not null)
            {
                Record(started: true);
            }
            return Task.CompletedTask;
        });
        try
        {
            await next(context);
        }
        finally
        {
            Record(context.Response.HasStarted);
        }
    }

    /// <summary>The node and python SDKs number their retries in X-Stainless-Retry-Count; the journal shows it.</summary>
    private static int? RetryCount(HttpRequest request) =>
        int.TryParse(request.Headers["X-Stainless-Retry-Count"].ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            ? count
            : null;
}
