namespace MockRunsServer.Http;

/// <summary>
/// A request body read up front, before the endpoint: by the journal (to show what was sent, even
/// for a request refused before its endpoint) and before a request takes its share of the state
/// gate (so that a client sending its body slowly never holds a reset back).
/// </summary>
public static class BufferedBody
{
    /// <summary>True when the body is already in memory.</summary>
    public static bool IsBuffered(HttpRequest request) => request.Body is MemoryStream or BrokenBody;

    /// <summary>
    /// Reads the whole body of <paramref name="length"/> bytes into memory and hands it on from there;
    /// answers what arrived.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpContext context, int length)
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

    /// <summary>
    /// Reads the body into memory as it arrives, up to <paramref name="cap"/> bytes: a longer one stops
    /// there, which is enough for the endpoint to refuse it as too large, without holding all of it.
    /// </summary>
    public static async Task ReadUpToAsync(HttpContext context, long cap)
    {
        var received = new MemoryStream();
        var chunk = new byte[16 * 1024];
        Exception? broken = null;
        try
        {
            while (received.Length < cap)
            {
                var count = await context.Request.Body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, cap - received.Length)), context.RequestAborted);
                if (count == 0)
                {
                    break;
                }
                received.Write(chunk, 0, count);
            }
        }
        catch (Exception exception) when (exception is BadHttpRequestException or IOException or OperationCanceledException)
        {
            broken = exception;
        }
        var bytes = received.ToArray();
        context.Request.Body = broken is null ? new MemoryStream(bytes, writable: false) : new BrokenBody(bytes, broken);
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
