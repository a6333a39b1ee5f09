using System.Diagnostics;
using MockRunsServer.Runs;

namespace MockRunsServer.Http;

/// <summary>
/// Records every request outside the control API, health probe and Swagger in the
/// <see cref="RequestJournal"/> when it finishes. Outermost, so it sees the final status of
/// every answer, errors and faults included. A body whose Content-Length is within
/// <c>Mock:Journal:MaxBodyBytes</c> is read up front (so even a request refused before its
/// endpoint shows what it sent) and handed on from memory; a larger one is marked truncated.
/// </summary>
public sealed class JournalMiddleware(RequestDelegate next, RequestJournal journal, MockClock clock)
{
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
        var started = Stopwatch.GetTimestamp();
        var length = request.ContentLength ?? 0;
        var truncated = length > journal.MaxBodyBytes;
        var body = length > 0 && !truncated ? await ReadBodyAsync(context, (int)length) : null;
        try
        {
            await next(context);
        }
        finally
        {
            var fault = RequestNotes.Get(context, RequestNotes.Fault);
            var dropped = fault == "drop" || (context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted);
            journal.Add(generation, new JournalRecord(
                atMs,
                request.Method,
                request.Path.Value ?? string.Empty,
                request.QueryString.HasValue ? request.QueryString.Value![1..] : null,
                dropped ? null : context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                RequestNotes.Get(context, OpenAIMiddleware.RequestIdKey),
                RequestNotes.Get(context, RequestNotes.Scenario),
                RequestNotes.Get(context, RequestNotes.RunId) ?? context.GetRouteValue("run_id") as string,
                RequestNotes.Get(context, RequestNotes.ThreadId) ?? context.GetRouteValue("thread_id") as string,
                fault,
                RetryCount(request),
                body,
                truncated));
        }
    }

    /// <summary>The node and python SDKs number their retries in X-Stainless-Retry-Count; the journal shows it.</summary>
    private static int? RetryCount(HttpRequest request) =>
        int.TryParse(request.Headers["X-Stainless-Retry-Count"].ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            ? count
            : null;

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, int length)
    {
        var buffer = new byte[length];
        var read = 0;
        try
        {
            while (read < length)
            {
                var count = await context.Request.Body.ReadAsync(buffer.AsMemory(read), context.RequestAborted);
                if (count == 0)
                {
                    break;
                }
                read += count;
            }
        }
        catch (Exception exception) when (exception is BadHttpRequestException or IOException or OperationCanceledException)
        {
            // A broken body: hand on what arrived and let the endpoint answer as it would have.
        }
        var received = read == length ? buffer : buffer[..read];
        context.Request.Body = new MemoryStream(received, writable: false);
        return received;
    }
}
