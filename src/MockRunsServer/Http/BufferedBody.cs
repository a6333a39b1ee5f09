namespace MockRunsServer.Http;

/// <summary>
/// A request body read up front, before the endpoint: by the journal (to show what was sent, even
/// for a request refused before its endpoint), by the rate limiter for a body sent without a length
/// (to count its tokens), and before a request takes its share of the state gate (so that a client
/// sending its body slowly never holds a reset back). Whoever reads first hands it on from memory.
/// </summary>
public static class BufferedBody
{
    /// <summary>True when the body is already in memory.</summary>
    public static bool IsBuffered(HttpRequest request) => request.Body is MemoryStream or BrokenBody;

    /// <summary>
    /// Reads the body into memory as it arrives, <paramref name="cap"/> bytes at most (a longer one
    /// stops there, which is enough for the endpoint to refuse it as too large), hands it on from
    /// there, and answers what arrived. A body that breaks off (timed out, cut short, aborted) is
    /// kept as far as it came, and the endpoint meets the same failure when it reads it, so it
    /// answers as it would have without this read (a 408 or a 400) instead of acting on half a body.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpContext context, long cap)
    {
        var declared = context.Request.ContentLength;
        var end = Math.Min(declared ?? cap, cap);
        // Sized by Content-Length when that is small; otherwise grown as bytes arrive, so that a
        // length a client only declares never reserves memory by itself.
        var buffer = new byte[(int)Math.Min(end, declared is null ? 4096 : FirstBuffer)];
        var read = 0;
        Exception? broken = null;
        try
        {
            while (read < end)
            {
                if (read == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(end, buffer.Length * 2L));
                }
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
        var received = read == buffer.Length ? buffer : buffer[..read];
        context.Request.Body = broken is null ? new MemoryStream(received, writable: false) : new BrokenBody(received, broken);
        return received;
    }

    private const int FirstBuffer = 64 * 1024;

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
