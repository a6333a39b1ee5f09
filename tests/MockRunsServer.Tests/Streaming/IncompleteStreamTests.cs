using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>A run that stops at a token limit, streamed (spec/runs.md §9.5 "token limit").</summary>
public sealed class IncompleteStreamTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [SpecFact]
    public async Task An_incomplete_run_streams_message_incomplete_step_completed_then_run_incomplete()
    {
        var (_, stream) = await api.OpenRun(scenario: "incomplete");
        await using var _ = stream;
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();

        OpenApiSchemas.AssertMatchesEventStream(stream.Raw);
        Assert.Equal(
            StreamingApi.Sequence(StreamingApi.Start,
                ["thread.run.step.created", "thread.run.step.in_progress", "thread.message.created", "thread.message.in_progress", "thread.message.delta+",
                 "thread.message.incomplete", "thread.run.step.completed", "thread.run.incomplete", "done"]),
            stream.Events.Squashed());
        Assert.Equal("max_tokens", stream.Events.Single("thread.message.incomplete").GetProperty("incomplete_details").Str("reason"));
        Assert.Equal("max_completion_tokens", stream.Events.Single("thread.run.incomplete").GetProperty("incomplete_details").Str("reason"));
    }

    [Fact]
    public async Task The_deltas_of_an_incomplete_message_add_up_to_its_stored_partial_text()
    {
        var (thread, stream) = await api.OpenRun(scenario: "incomplete");
        await using var _ = stream;
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();

        var message = stream.Events.Single("thread.message.incomplete");
        var stored = await api.MessageText(thread, message.Str("id"));
        Assert.Equal(stored, stream.Events.DeltaText());
        Assert.Equal(stored, message.GetProperty("content")[0].GetProperty("text").GetProperty("value").GetString());
    }
}
