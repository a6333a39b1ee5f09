using System.Text.RegularExpressions;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>How a stream is framed on the wire (spec/runs.md §9.1), whatever the run does.</summary>
public sealed partial class StreamFramingTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task A_stream_answers_200_as_utf8_text_event_stream_with_OpenAIs_headers()
    {
        var (_, stream) = await api.OpenRun();
        await using var _ = stream;

        Assert.Equal(System.Net.HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream; charset=utf-8", stream.Response.ContentType()!.ToString());
        Assert.StartsWith("req_", stream.Response.Headers.GetValues("x-request-id").Single(), StringComparison.Ordinal);
        Assert.Equal("2020-10-01", stream.Response.Headers.GetValues("openai-version").Single());
    }

    [Fact]
    public async Task The_first_events_arrive_before_the_clock_moves()
    {
        var (_, stream) = await api.OpenRun();
        await using var _ = stream;

        var first = await stream.Read(2);

        Assert.Equal(["thread.run.created", "thread.run.queued"], first.Select(e => e.Event));
        Assert.All(first, e => Assert.Equal("queued", e.Json().Status()));
    }

    [Fact]
    public async Task Every_event_is_an_event_line_a_compact_one_line_data_line_and_a_blank_line()
    {
        var (_, stream) = await api.OpenRun();
        await using var _ = stream;
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();

        Assert.Matches(Framing(), stream.Raw);
        Assert.All(stream.Events.Where(e => e.Event != "done"), e => Assert.DoesNotContain(": ", e.Data[..Math.Min(e.Data.Length, 20)], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_ends_with_event_done_and_data_DONE_then_closes()
    {
        var (_, stream) = await api.OpenRun();
        await using var _ = stream;
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();

        Assert.True(stream.Ended);
        Assert.EndsWith("\n\nevent: done\ndata: [DONE]\n\n", stream.Raw, StringComparison.Ordinal);
        Assert.Single(stream.Events.Named("done"));
    }

    [Fact]
    public async Task Each_run_event_carries_the_run_as_a_GET_showed_it_at_that_moment()
    {
        var (thread, stream) = await api.OpenRun();
        await using var _ = stream;
        await stream.Read(2);
        var queued = await api.GetRun(thread, stream.RunId());
        await api.Advance(0.5);
        var started = (await stream.Read(1))[0];
        var inProgress = await api.GetRun(thread, stream.RunId());

        Assert.Equal(queued.GetRawText(), stream.Events.Single("thread.run.queued").GetRawText());
        Assert.Equal("thread.run.in_progress", started.Event);
        Assert.Equal(inProgress.GetRawText(), started.Json().GetRawText());
    }

    [GeneratedRegex(@"\A(event: [a-z_.]+\ndata: [^\n]+\n\n)+\z")]
    private static partial Regex Framing();
}
