using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>Runs that fail, streamed (spec/runs.md §9.5 "failure").</summary>
public sealed class FailureStreamTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [SpecTheory]
    [InlineData("fail", "server_error")]
    [InlineData("rate_limit", "rate_limit_exceeded")]
    [InlineData("invalid_prompt", "invalid_prompt")]
    public async Task A_failing_run_streams_in_progress_then_failed_with_last_error_then_done(string scenario, string code)
    {
        var (_, stream) = await api.OpenRun(scenario: scenario);
        await using var _ = stream;
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();

        OpenApiSchemas.AssertMatchesEventStream(stream.Raw);
        // The run begins its answer and fails before any text (spec/runs.md §9.5).
        Assert.Equal(
            StreamingApi.Sequence(StreamingApi.Start,
                ["thread.run.step.created", "thread.run.step.in_progress", "thread.message.created", "thread.message.in_progress",
                 "thread.run.step.failed", "thread.message.incomplete", "thread.run.failed", "done"]),
            stream.Events.Squashed());
        var failedStep = stream.Events.Single("thread.run.step.failed");
        Assert.Equal(code == "invalid_prompt" ? "server_error" : code, failedStep.GetProperty("last_error").Str("code"));
        Assert.Equal("run_failed", stream.Events.Single("thread.message.incomplete").GetProperty("incomplete_details").Str("reason"));
        var failed = stream.Events.Single("thread.run.failed");
        Assert.Equal(code, failed.GetProperty("last_error").Str("code"));
        Assert.False(failed.IsNull("failed_at"));
    }

    [SpecFact]
    public async Task A_run_failing_while_writing_streams_step_failed_message_incomplete_then_failed()
    {
        var (thread, stream) = await api.OpenRun();
        await using var _ = stream;
        await api.Advance(1);
        await stream.ReadUntil("thread.message.delta");
        (await api.Post($"/_mock/runs/{stream.RunId()}/transition", new { status = "failed" })).Ok();
        await stream.ReadToEnd();

        OpenApiSchemas.AssertMatchesEventStream(stream.Raw);
        Assert.Equal(
            ["thread.run.created", "thread.run.queued", "thread.run.in_progress", "thread.run.step.created", "thread.run.step.in_progress",
             "thread.message.created", "thread.message.in_progress", "thread.message.delta+",
             "thread.run.step.failed", "thread.message.incomplete", "thread.run.failed", "done"],
            stream.Events.Squashed());
        var step = stream.Events.Single("thread.run.step.failed");
        Assert.False(step.IsNull("failed_at"));
        Assert.Equal("server_error", step.GetProperty("last_error").Str("code"));
        var message = stream.Events.Single("thread.message.incomplete");
        Assert.Equal("run_failed", message.GetProperty("incomplete_details").Str("reason"));
        Assert.Equal(await api.MessageText(thread, message.Str("id")), stream.Events.DeltaText());
    }
}
