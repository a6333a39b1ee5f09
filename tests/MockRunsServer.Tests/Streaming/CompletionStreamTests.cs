using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>A run that completes, streamed from create run (spec/runs.md §9.3).</summary>
public sealed class CompletionStreamTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private async Task<(string Thread, EventStream Stream)> CompletedStream()
    {
        var (thread, stream) = await api.OpenRun();
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();
        return (thread, stream);
    }

    [SpecFact]
    public async Task A_completing_run_streams_the_live_event_order_and_every_payload_fits_the_spec()
    {
        var (_, stream) = await CompletedStream();
        await using var _ = stream;

        OpenApiSchemas.AssertMatchesEventStream(stream.Raw);
        Assert.Equal(
            StreamingApi.Sequence(StreamingApi.Start, StreamingApi.MessageCreation, ["thread.run.completed", "done"]),
            stream.Events.Squashed());
    }

    [Fact]
    public async Task The_message_deltas_add_up_to_the_stored_message_text()
    {
        var (thread, stream) = await CompletedStream();
        await using var _ = stream;

        var message = stream.Events.Single("thread.message.completed");
        var stored = await api.MessageText(thread, message.Str("id"));
        Assert.False(string.IsNullOrEmpty(stored));
        Assert.Equal(stored, stream.Events.DeltaText());
        Assert.Equal(stored, message.GetProperty("content")[0].GetProperty("text").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Only_the_first_text_delta_carries_empty_annotations()
    {
        var (_, stream) = await CompletedStream();
        await using var _ = stream;

        var parts = stream.Events.Named("thread.message.delta").Select(e => e.Json().GetProperty("delta").GetProperty("content").EnumerateArray().Single()).ToList();
        Assert.True(parts.Count > 1, "expected the text in several deltas");
        Assert.Equal(0, parts[0].GetProperty("text").GetProperty("annotations").GetArrayLength());
        Assert.All(parts.Skip(1), part => Assert.False(part.GetProperty("text").TryGetProperty("annotations", out var _)));
        Assert.All(parts, part => Assert.Equal((0, "text"), (part.GetProperty("index").GetInt32(), part.Str("type"))));
    }

    [Fact]
    public async Task The_message_is_created_empty_and_completed_with_completed_at()
    {
        var (_, stream) = await CompletedStream();
        await using var _ = stream;

        var created = stream.Events.Single("thread.message.created");
        var completed = stream.Events.Single("thread.message.completed");
        Assert.Equal(("in_progress", 0), (created.Str("status"), created.GetProperty("content").GetArrayLength()));
        Assert.Equal(0, created.GetProperty("attachments").GetArrayLength());
        Assert.True(created.IsNull("completed_at"));
        Assert.Equal("completed", completed.Str("status"));
        Assert.False(completed.IsNull("completed_at"));
    }

    [Fact]
    public async Task The_step_names_the_message_it_creates_and_completes_with_usage()
    {
        var (_, stream) = await CompletedStream();
        await using var _ = stream;

        var created = stream.Events.Single("thread.run.step.created");
        var completed = stream.Events.Single("thread.run.step.completed");
        Assert.Equal("message_creation", created.Str("type"));
        Assert.True(created.IsNull("usage"));
        Assert.Equal(stream.Events.Single("thread.message.created").Str("id"), created.GetProperty("step_details").GetProperty("message_creation").Str("message_id"));
        Assert.Equal("completed", completed.Str("status"));
        Assert.False(completed.IsNull("usage"));
    }

    [Fact]
    public async Task The_run_starts_queued_and_completes_with_usage_and_no_expiry()
    {
        var (_, stream) = await CompletedStream();
        await using var _ = stream;

        var created = stream.Events.Single("thread.run.created");
        var inProgress = stream.Events.Single("thread.run.in_progress");
        var completed = stream.Events.Single("thread.run.completed");
        Assert.Equal("queued", created.Status());
        Assert.True(created.IsNull("started_at"));
        Assert.Equal(created.Long("created_at") + 600, created.Long("expires_at"));
        Assert.False(inProgress.IsNull("started_at"));
        Assert.Equal("completed", completed.Status());
        Assert.True(completed.IsNull("expires_at"));
        Assert.False(completed.IsNull("usage"));
    }
}
