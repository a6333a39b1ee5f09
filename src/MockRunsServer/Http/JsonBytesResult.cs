using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MockRunsServer.Http;

/// <summary>
/// A JSON answer serialized up front (under the owner's lock when the object can change), written
/// without it. The bytes live in a buffer rented from the shared pool and go back once written:
/// a list of twenty runs is 15 KB, which would otherwise be allocated, and copied, per request.
/// </summary>
public sealed class JsonBytesResult : IResult
{
    private readonly int status;
    private readonly long? pollAfterMs;
    private byte[]? rented;
    private readonly int length;

    public JsonBytesResult(byte[] body, int status = 200, long? pollAfterMs = null)
    {
        Body = body;
        length = body.Length;
        this.status = status;
        this.pollAfterMs = pollAfterMs;
    }

    private JsonBytesResult(byte[] rented, int length, int status, long? pollAfterMs)
    {
        Body = rented;
        this.rented = rented;
        this.length = length;
        this.status = status;
        this.pollAfterMs = pollAfterMs;
    }

    /// <summary>The bytes (in a rented buffer, only the first <see cref="Length"/> are the body).</summary>
    public byte[] Body { get; }

    public int Length => length;

    /// <summary>Serializes <paramref name="value"/> into a pooled buffer.</summary>
    public static JsonBytesResult Serialize<T>(T value, JsonTypeInfo<T> type, int status = 200, long? pollAfterMs = null)
    {
        var buffer = PooledWriter.Rent();
        try
        {
            var writer = buffer.WriterFor(type.Options);
            JsonSerializer.Serialize(writer, value, type);
            writer.Flush();
            var (bytes, written) = buffer.Detach();
            return new JsonBytesResult(bytes, written, status, pollAfterMs);
        }
        finally
        {
            buffer.Return();
        }
    }

    public Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = length;
        if (pollAfterMs is { } poll)
        {
            response.Headers["openai-poll-after-ms"] = poll.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var write = response.Body.WriteAsync(Body.AsMemory(0, length), context.RequestAborted);
        if (write.IsCompletedSuccessfully)
        {
            ReturnBuffer();
            return Task.CompletedTask;
        }
        return Awaited(write);
    }

    private async Task Awaited(ValueTask write)
    {
        try
        {
            await write;
        }
        finally
        {
            ReturnBuffer();
        }
    }

    private void ReturnBuffer()
    {
        if (Interlocked.Exchange(ref rented, null) is { } bytes)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>A growable buffer over pooled arrays with its JSON writer, reused per thread.</summary>
    private sealed class PooledWriter : IBufferWriter<byte>
    {
        [ThreadStatic]
        private static PooledWriter? cached;

        private byte[] buffer = [];
        private int written;
        private (JsonSerializerOptions Options, Utf8JsonWriter Writer)[] writers = [];

        /// <summary>A writer with the options' encoder and layout, as JsonSerializer.SerializeToUtf8Bytes would make.</summary>
        public Utf8JsonWriter WriterFor(JsonSerializerOptions options)
        {
            foreach (var (known, writer) in writers)
            {
                if (ReferenceEquals(known, options))
                {
                    writer.Reset(this);
                    return writer;
                }
            }
            var created = new Utf8JsonWriter(this, new JsonWriterOptions
            {
                Encoder = options.Encoder,
                Indented = options.WriteIndented,
                IndentCharacter = options.IndentCharacter,
                IndentSize = options.IndentSize,
                MaxDepth = options.MaxDepth,
                NewLine = options.NewLine,
                SkipValidation = true,
            });
            if (writers.Length < 4)
            {
                writers = [.. writers, (options, created)];
            }
            return created;
        }

        public static PooledWriter Rent()
        {
            var writer = cached ?? new PooledWriter();
            cached = null;
            writer.buffer = ArrayPool<byte>.Shared.Rent(1024);
            writer.written = 0;
            return writer;
        }

        /// <summary>Hands the buffer over to the caller, who returns it to the pool.</summary>
        public (byte[] Bytes, int Written) Detach()
        {
            var result = (buffer, written);
            buffer = [];
            written = 0;
            return result;
        }

        public void Return()
        {
            if (buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = [];
            }
            written = 0;
            cached = this;
        }

        public void Advance(int count) => written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return buffer.AsMemory(written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return buffer.AsSpan(written);
        }

        private void Ensure(int sizeHint)
        {
            var needed = written + Math.Max(sizeHint, 1);
            if (needed <= buffer.Length)
            {
                return;
            }
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
            buffer.AsSpan(0, written).CopyTo(larger);
            if (buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            buffer = larger;
        }
    }
}
