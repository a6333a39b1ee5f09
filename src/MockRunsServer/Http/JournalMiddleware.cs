using System.Diagnostics;
using MockRunsServer.Runs;

namespace MockRunsServer.Http;

/// <summary>
/// Records every request outside the control API, health probe and Swagger in the
/// <see cref="RequestJournal"/> as its answer starts (a stream: when it ends). Outermost, so it sees the final status of
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
        var startedAt = Stopwatch.GetTimestamp();
        var length = request.ContentLength ?? 0;
        var truncated = length > journal.MaxBodyBytes;
        var body = length > 0 && !truncated ? await ReadBodyAsync(context, (int)length) : null;
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
            journal.Add(generation, new JournalRecord(
                atMs,
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

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, int length)
    {
        var buffer = new byte[length];
        var read = 0;
        Exception? broken = null;
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
            broken = exception;
        }
        var received = read == length ? buffer : buffer[..read];
        // A broken body (timed out, cut short, aborted) is journaled as far as it came, and the endpoint
        // meets the same failure when it reads, so it answers as it would have without the journal
        // (a 408 or a 400) instead of acting on half a body.
        context.Request.Body = broken is null ? new MemoryStream(received, writable: false) : new BrokenBody(received, broken);
        return received;
    }

    /// <summary>The bytes that arrived, then the failure that stopped the rest.</summary>
    private sealed class BrokenBody(byte[] received, Exception failure) : Stream
    {
        private int position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (position >= received.Length)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
            var count = Math.Min(buffer.Length, received.Length - position);
            received.AsSpan(position, count).CopyTo(buffer);
            position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
