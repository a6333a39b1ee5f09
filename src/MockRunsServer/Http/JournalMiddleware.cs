using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MockRunsServer.Options;
using MockRunsServer.Runs;

namespace MockRunsServer.Http;

/// <summary>
/// Records every request outside the control API, health probe and Swagger in the
/// <see cref="RequestJournal"/> as its answer starts (a stream: before its [DONE]; a drop: before
/// the abort). Outermost, so it sees the final status of every answer, errors and faults included. A body whose Content-Length is within
/// <c>Mock:Journal:MaxBodyBytes</c> is read up front (so even a request refused before its
/// endpoint shows what it sent) and handed on from memory; a larger one is marked truncated. A
/// body sent without a length (chunked) is read up front as far as an endpoint would take it, then
/// judged the same way by what arrived.
/// </summary>
public sealed class JournalMiddleware(RequestDelegate next, RequestJournal journal, MockClock clock, IOptions<MockOptions> options)
{
    private readonly long maxBody = options.Value.MaxRequestBodyBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!MockPaths.IsJournaled(request.Path))
        {
            await next(context);
            return;
        }
        var length = request.ContentLength ?? 0;
        byte[]? body = null;
        if (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            // One byte past the limit at most, as the state gate reads: enough for the endpoint to refuse it.
            body = await BufferedBody.ReadAsync(context, maxBody + 1);
            length = body.Length;
        }
        var truncated = length > journal.MaxBodyBytes;
        var entry = new Recorder(context, journal, clock.NowMs, truncated);
        if (length > 0 && !truncated)
        {
            entry.Body = body ?? await BufferedBody.ReadAsync(context, length);
        }
        context.Features.Set(entry);
        // An answer of known length is recorded before its first byte leaves: a client that has read
        // all of it and asks the journal at once, on another connection, finds it there. A stream
        // is recorded as it ends (before its [DONE]), so that its duration is the whole stream's.
        context.Response.OnStarting(static state =>
        {
            var recorder = (Recorder)state;
            if (recorder.Context.Response.ContentLength is not null)
            {
                recorder.RecordNow(started: true);
            }
            return Task.CompletedTask;
        }, entry);
        try
        {
            await next(context);
        }
        finally
        {
            entry.RecordNow(context.Response.HasStarted);
        }
    }

    /// <summary>
    /// A request on its way to the journal. The code that ends a request records it first, so that a
    /// client that sees the end and asks the journal at once finds it: a dropped connection before
    /// its abort, a stream before its [DONE].
    /// </summary>
    public sealed class Recorder(HttpContext context, RequestJournal journal, long atMs, bool truncated)
    {
        /// <summary>The longest method, path, query, route id or header value an entry keeps whole.</summary>
        public const int MaxTextLength = 2048;

        /// <summary>The most headers an entry keeps (Kestrel takes up to 1,000), and the most characters of them in all.</summary>
        public const int MaxHeaders = 100;

        public const int MaxHeaderChars = 16 * 1024;

        private readonly int generation = journal.Generation;
        private readonly long startedAt = Stopwatch.GetTimestamp();
        private int recorded;
        private Request? held;

        public HttpContext Context => context;

        public byte[]? Body { get; set; }

        /// <summary>What the entry says of the request itself, read on the request's own thread.</summary>
        private readonly record struct Request(int Generation, long AtMs, string Method, string Path, string? Query, RequestNotes? Notes, string? RunRoute, string? ThreadRoute, int? RetryCount, Dictionary<string, string>? Headers);

        /// <summary>
        /// Reads the request's side of the entry now, on the request's thread, for an entry the engine
        /// may record from its own (a stream, as its run ends): HttpContext is not for two threads.
        /// </summary>
        public void Hold() => held = Read();

        private Request Read()
        {
            var request = context.Request;
            // A request that waited for a reset at the state gate counts from when it got through.
            var entered = context.Features.Get<StateGateMiddleware.Lease>();
            return new Request(
                entered?.JournalGeneration ?? generation,
                entered?.AtMs ?? atMs,
                Clip(request.Method),
                Clip(request.Path.Value ?? string.Empty),
                request.QueryString.HasValue ? Clip(request.QueryString.Value![1..]) : null,
                RequestNotes.Of(context),
                Clip(context.GetRouteValue("run_id") as string),
                Clip(context.GetRouteValue("thread_id") as string),
                RetryCount(request),
                journal.KeepsHeaders ? Headers(request) : null);
        }

        /// <summary>
        /// The request's headers by lower-case name, in the order sent, as many as <see cref="MaxHeaders"/> and
        /// <see cref="MaxHeaderChars"/> allow, each value cut as the path is; a bearer key shows as OpenAI's
        /// error messages show one (its start and end).
        /// </summary>
        private static Dictionary<string, string> Headers(HttpRequest request)
        {
            var headers = new Dictionary<string, string>(Math.Min(request.Headers.Count, MaxHeaders));
            var chars = 0;
            foreach (var (name, values) in request.Headers)
            {
                var value = values.ToString();
                if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    value = value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? "Bearer " + ApiKeys.Mask(value[7..].Trim()) : "(hidden)";
                }
                value = Clip(value);
                // A full journal of entries with many large headers stays within a few tens of megabytes.
                chars += name.Length + value.Length;
                if (headers.Count == MaxHeaders || chars > MaxHeaderChars)
                {
                    break;
                }
                headers[name.ToLowerInvariant()] = value;
            }
            return headers;
        }

        /// <summary>
        /// A URL may run to 1 MB (Kestrel's limit; past 32 KB it is refused, yet still journaled): an entry
        /// keeps the first <see cref="MaxTextLength"/> characters of each part and marks the cut with "…",
        /// so a full journal stays within a few megabytes whatever was sent.
        /// </summary>
        [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
        private static string? Clip(string? text) =>
            text is { Length: > MaxTextLength } ? string.Concat(text.AsSpan(0, MaxTextLength), "…") : text;

        /// <summary>Records the request now (once only); <paramref name="started"/>: its answer has begun.</summary>
        public void RecordNow(bool started)
        {
            // Once only, whoever comes first: the engine ending a stream's run, or the request itself.
            if (Interlocked.Exchange(ref recorded, 1) == 1)
            {
                return;
            }
            var request = held ?? Read();
            if (request.Generation != journal.Generation)
            {
                // Made before a reset that has cleared the journal since: the journal would drop it, so
                // nothing is read for it (not even an id, which under a seed would come from the new session).
                return;
            }
            var notes = request.Notes;
            var fault = notes?.Fault;
            var dropped = fault == "drop" || (context.RequestAborted.IsCancellationRequested && !started);
            // A drop is the server's own doing and draws like an answer; a client that left unanswered does not.
            var requestId = fault == "drop" || started ? notes?.RequestId : notes?.UnansweredRequestId;
            journal.Add(request.Generation, new JournalRecord(
                request.AtMs,
                request.Method,
                request.Path,
                request.Query,
                // A held request is a stream, answered 200 once it started.
                dropped ? null : held is not null ? StatusCodes.Status200OK : context.Response.StatusCode,
                Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds,
                requestId,
                notes?.Scenario,
                notes?.RunId ?? request.RunRoute,
                notes?.ThreadId ?? request.ThreadRoute,
                fault,
                request.RetryCount,
                Body,
                truncated,
                request.Headers));
        }
    }

    /// <summary>The node and python SDKs number their retries in X-Stainless-Retry-Count; the journal shows it.</summary>
    private static int? RetryCount(HttpRequest request) =>
        int.TryParse(request.Headers["X-Stainless-Retry-Count"].ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            ? count
            : null;
}
