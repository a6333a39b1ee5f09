using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>A run that expires while its stream is open (spec/runs.md §9.5 "expiry").</summary>
public sealed class ExpiryStreamTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [SpecFact]
    public async Task A_run_expiring_while_writing_streams_message_incomplete_step_expired_then_expired()
    {
        var (_, stream) = await api.OpenRun(scenario: "expire");
        await using var _ = stream;
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadUntil("thread.message.in_progress");
        await api.Advance(600);
        await stream.ReadToEnd();

        OpenApiSchemas.AssertMatchesEventStream(stream.Raw);
        Assert.Equal(
            StreamingApi.Sequence(StreamingApi.Start,
                ["thread.run.step.created", "thread.run.step.in_progress", "thread.message.created", "thread.message.in_progress",
                 "thread.message.incomplete", "thread.run.step.expired", "thread.run.expired", "done"]),
            stream.Events.Squashed());
        Assert.Equal("run_expired", stream.Events.Single("thread.message.incomplete").GetProperty("incomplete_details").Str("reason"));
        Assert.False(stream.Events.Single("thread.run.step.expired").IsNull("expired_at"));
    }

    [Fact]
    public async Task Nothing_comes_between_the_last_message_event_and_the_expiry()
    {
        var (_, stream) = await api.OpenRun(scenario: "expire");
        await using var _ = stream;
        await api.Advance(599);
        await stream.ReadUntil("thread.message.in_progress");
        await api.Advance(1);

        var next = await stream.Next();

        Assert.Equal("thread.message.incomplete", next?.Event);
    }
}
