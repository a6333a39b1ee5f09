using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary><c>POST /threads/runs</c> with <c>stream: true</c>: the same events, after <c>thread.created</c> (spec/runs.md §9.3).</summary>
public sealed class ThreadAndRunStreamTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private async Task<EventStream> Open(string? scenario = null, string? assistant = null)
    {
        assistant ??= await api.CreateAssistant();
        return await EventStream.Open(api, "/v1/threads/runs",
            new { assistant_id = assistant, thread = new { messages = new[] { new { role = "user", content = "Hi" } } }, stream = true },
            StreamingApi.Scenario(scenario));
    }

    [SpecFact]
    public async Task Create_thread_and_run_streams_thread_created_first_then_the_run_to_completion()
    {
        await using var stream = await Open();
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();

        OpenApiSchemas.AssertMatchesEventStream(stream.Raw);
        Assert.Equal(
            StreamingApi.Sequence(["thread.created"], StreamingApi.Start, StreamingApi.MessageCreation, ["thread.run.completed", "done"]),
            stream.Events.Squashed());
    }

    [Fact]
    public async Task The_streamed_thread_is_the_stored_thread_the_run_belongs_to()
    {
        await using var stream = await Open();
        var created = await stream.Read(2);

        var thread = created[0].Json();
        Assert.Equal("thread", thread.Str("object"));
        Assert.Equal(thread.Str("id"), created[1].Json().Str("thread_id"));
        Assert.Equal((await api.Get($"/v1/threads/{thread.Str("id")}")).Ok().Json.GetRawText(), thread.GetRawText());
    }

    [SpecFact]
    public async Task A_tool_round_from_create_thread_and_run_ends_at_requires_action_then_done()
    {
        await using var stream = await Open("tool_call", await api.CreateToolAssistant());
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();

        OpenApiSchemas.AssertMatchesEventStream(stream.Raw);
        Assert.Equal(
            StreamingApi.Sequence(["thread.created"], StreamingApi.Start, ["thread.run.step.created", "thread.run.step.in_progress", "thread.run.step.delta+", "thread.run.requires_action", "done"]),
            stream.Events.Squashed());
    }
}
