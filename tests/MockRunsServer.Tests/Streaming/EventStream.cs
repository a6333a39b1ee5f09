using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>
/// A live <c>stream: true</c> answer read event by event, the way the SDKs read it: the request is
/// sent with <see cref="HttpCompletionOption.ResponseHeadersRead"/>, so the test can advance the
/// manual clock between reads. Each event is checked against the spec's schema as it is read.
/// </summary>
public sealed class EventStream : IAsyncDisposable
{
    /// <summary>How long one read may wait before the test fails: a guard against a hang, not an assertion on time.</summary>
    private static readonly TimeSpan ReadGuard = TimeSpan.FromSeconds(15);

    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;
    private readonly StringBuilder raw = new();
    private readonly List<ServerSentEvent> events = [];

    private EventStream(HttpResponseMessage response, Stream body)
    {
        this.response = response;
        reader = new StreamReader(body, Encoding.UTF8);
    }

    public HttpResponseMessage Response => response;

    /// <summary>The exact text received so far.</summary>
    public string Raw => raw.ToString();

    public IReadOnlyList<ServerSentEvent> Events => events;

    public IReadOnlyList<string> Names => events.ConvertAll(e => e.Event);

    public bool Ended { get; private set; }

    /// <summary>POSTs <paramref name="body"/> and returns the open stream once the headers arrived (fails on any non-stream answer).</summary>
    public static async Task<EventStream> Open(ApiClient api, string path, object body, params (string Name, string Value)[] headers)
    {
        var response = await Send(api, path, body, headers);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType != "text/event-stream")
        {
            var text = await response.Content.ReadAsStringAsync();
            response.Dispose();
            Assert.Fail($"Expected an event stream, got {(int)response.StatusCode} {mediaType}: {text}");
        }
        return new EventStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>POSTs like <see cref="Open"/> but hands back the raw answer, for requests that must fail before any stream.</summary>
    public static async Task<HttpResponseMessage> Send(ApiClient api, string path, object body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in api.Headers.Select(pair => (pair.Key, pair.Value)).Concat(headers))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>The next event, or null when the server closed the stream.</summary>
    public async Task<ServerSentEvent?> Next()
    {
        using var guard = new CancellationTokenSource(ReadGuard);
        var block = new StringBuilder();
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No event arrived; received so far: [{string.Join(", ", Names)}]");
            }
            if (line is null)
            {
                Ended = true;
                Assert.True(block.Length == 0, $"The stream ended inside an event: {block}");
                return null;
            }
            raw.Append(line).Append('\n');
            if (line.Length == 0)
            {
                break;
            }
            block.Append(line).Append('\n');
        }
        var parsed = Assert.Single(ServerSentEvent.Parse(block.ToString()));
        if (OpenApiSchemas.IsAvailable)
        {
            OpenApiSchemas.AssertMatchesStreamEvent(parsed.Event, parsed.Data);
        }
        events.Add(parsed);
        return parsed;
    }

    /// <summary>Reads events up to and including the first one named <paramref name="eventName"/>; returns those read by this call.</summary>
    public async Task<List<ServerSentEvent>> ReadUntil(string eventName)
    {
        var read = new List<ServerSentEvent>();
        while (await Next() is { } next)
        {
            read.Add(next);
            if (next.Event == eventName)
            {
                return read;
            }
        }
        Assert.Fail($"The stream ended before {eventName}; got [{string.Join(", ", Names)}]");
        return read;
    }

    /// <summary>Reads exactly <paramref name="count"/> more events.</summary>
    public async Task<List<ServerSentEvent>> Read(int count)
    {
        var read = new List<ServerSentEvent>();
        for (var i = 0; i < count; i++)
        {
            read.Add(await Next() ?? throw new InvalidOperationException($"The stream ended after [{string.Join(", ", Names)}]"));
        }
        return read;
    }

    /// <summary>Reads until the server closes the stream.</summary>
    public async Task<IReadOnlyList<ServerSentEvent>> ReadToEnd()
    {
        while (await Next() is not null)
        {
        }
        return events;
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Reading the payloads of stream events.</summary>
public static class StreamEvents
{
    public static JsonElement Json(this ServerSentEvent e) => JsonDocument.Parse(e.Data).RootElement.Clone();

    public static IEnumerable<ServerSentEvent> Named(this IEnumerable<ServerSentEvent> events, string name) => events.Where(e => e.Event == name);

    /// <summary>The text the message deltas of a stream add up to, merged as the SDKs merge them (strings concatenated).</summary>
    public static string DeltaText(this IEnumerable<ServerSentEvent> events, string? messageId = null) => string.Concat(
        events.Named("thread.message.delta")
            .Select(Json)
            .Where(delta => messageId is null || delta.Str("id") == messageId)
            .SelectMany(delta => delta.GetProperty("delta").GetProperty("content").EnumerateArray())
            .Select(part => part.GetProperty("text").GetProperty("value").GetString()));

    public static MediaTypeHeaderValue? ContentType(this HttpResponseMessage response) => response.Content.Headers.ContentType;
}
