using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using MockRunsServer.Streaming;
using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Wire;

namespace MockRunsServer.Tests.Streaming;

/// <summary>The <c>error</c> event a stream sends when something breaks after the 200 went out (spec/runs.md §9.6).</summary>
public sealed class StreamErrorEventTests
{
    [Fact]
    public async Task An_error_after_the_start_is_an_error_event_with_the_wrapped_error_then_done()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        var stream = new RunEventStream(context);
        stream.OnEvent("error", new ApiError(500, "The server had an error while processing your request. Sorry about that!", null, null, "server_error").ToResponse());
        stream.OnEnd();

        await stream.ExecuteAsync(context);

        var text = Encoding.UTF8.GetString(body.ToArray());
        var events = ServerSentEvent.Parse(text);
        Assert.Equal(["error", "done"], events.Select(e => e.Event));
        var error = JsonDocument.Parse(events[0].Data).RootElement.GetProperty("error");
        Assert.Equal("server_error", error.Str("type"));
        Assert.True(error.IsNull("param"));
        Assert.True(error.IsNull("code"));
        if (OpenApiSchemas.IsAvailable)
        {
            OpenApiSchemas.AssertMatchesStreamEvent("error", events[0].Data);
        }
    }
}
