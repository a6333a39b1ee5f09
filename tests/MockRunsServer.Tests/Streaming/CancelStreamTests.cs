using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>A cancel sent by another request while a run streams (spec/runs.md §9.5 "cancellation").</summary>
public sealed class CancelStreamTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private Task<ApiResponse> Cancel(string thread, EventStream stream) =>
        api.Post($"/v1/threads/{thread}/runs/{stream.RunId()}/cancel");

    [SpecFact]
    public async Task Cancelling_a_run_while_it_writes_ends_the_stream_with_cancelling_message_incomplete_step_cancelled_cancelled_done()
    {
        var (thread, stream) = await api.OpenRun();
        await using var _ = stream;
        await api.Advance(1);
        await stream.ReadUntil("thread.message.delta");
        (await Cancel(thread, stream)).Ok();
        await api.Advance(0.5);
        await stream.ReadToEnd();

        OpenApiSchemas.AssertMatchesEventStream(stream.Raw);
        Assert.Equal(
            StreamingApi.Sequence(StreamingApi.Start,
                ["thread.run.step.created", "thread.run.step.in_progress", "thread.message.created", "thread.message.in_progress", "thread.message.delta+",
                 "thread.run.cancelling", "thread.message.incomplete", "thread.run.step.cancelled", "thread.run.cancelled", "done"]),
            stream.Events.Squashed());
        Assert.Equal("run_cancelled", stream.Events.Single("thread.message.incomplete").GetProperty("incomplete_details").Str("reason"));
        Assert.False(stream.Events.Single("thread.run.step.cancelled").IsNull("cancelled_at"));
        Assert.False(stream.Events.Single("thread.run.cancelled").IsNull("cancelled_at"));
    }

    [Fact]
    public async Task The_stream_shows_cancelling_as_soon_as_the_cancel_answers()
    {
        var (thread, stream) = await api.OpenRun();
        await using var _ = stream;
        await stream.Read(2);
        var answer = (await Cancel(thread, stream)).Ok().Json;

        var next = await stream.Next();

        Assert.Equal("thread.run.cancelling", next?.Event);
        Assert.Equal(answer.GetRawText(), next!.Json().GetRawText());
    }

    [SpecFact]
    public async Task Cancelling_a_queued_run_streams_cancelling_then_cancelled_then_done()
    {
        var (thread, stream) = await api.OpenRun();
        await using var _ = stream;
        await stream.Read(2);
        (await Cancel(thread, stream)).Ok();
        await api.Advance(0.5);
        await stream.ReadToEnd();

        OpenApiSchemas.AssertMatchesEventStream(stream.Raw);
        Assert.Equal(["thread.run.created", "thread.run.queued", "thread.run.cancelling", "thread.run.cancelled", "done"], stream.Events.Squashed());
    }

    [Fact]
    public async Task The_deltas_of_a_cancelled_message_add_up_to_its_stored_text()
    {
        var (thread, stream) = await api.OpenRun();
        await using var _ = stream;
        await api.Advance(1.5);
        await stream.ReadUntil("thread.message.delta");
        (await Cancel(thread, stream)).Ok();
        await api.Advance(0.5);
        await stream.ReadToEnd();

        var message = stream.Events.Single("thread.message.incomplete");
        Assert.Equal(await api.MessageText(thread, message.Str("id")), stream.Events.DeltaText());
    }
}
