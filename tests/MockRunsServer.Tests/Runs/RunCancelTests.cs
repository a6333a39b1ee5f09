using System.Net;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>Cancel from each cancellable status, and the refusals (spec/runs.md §4.3).</summary>
public sealed class RunCancelTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    /// <summary>A run in the given status: queued (just created), in_progress or requires_action.</summary>
    private async Task<(string Thread, string Run, JsonElement Body)> RunIn(string status)
    {
        var (_, thread, run) = await api.StartToolRun();
        await api.Advance(status switch { "queued" => 0.1, "in_progress" => 1, _ => 2.5 });
        var body = await api.GetRun(thread, run);
        Assert.Equal(status, body.Status());
        return (thread, run, body);
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("in_progress")]
    [InlineData("requires_action")]
    public async Task Cancelling_answers_the_run_in_cancelling_with_nothing_ended_yet(string status)
    {
        var (thread, run, before) = await RunIn(status);
        var body = (await api.Cancel(thread, run)).Ok().Json;

        Assert.Equal("cancelling", body.Status());
        Assert.True(body.IsNull("cancelled_at"));
        Assert.True(body.IsNull("required_action"));
        Assert.True(body.IsNull("usage"));
        Assert.Equal(before.Long("expires_at"), body.Long("expires_at"));
        Assert.Equal(before.GetProperty("started_at").GetRawText(), body.GetProperty("started_at").GetRawText());
        Assert.Equal("cancelling", (await api.GetRun(thread, run)).Status());
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("in_progress")]
    [InlineData("requires_action")]
    public async Task A_cancelling_run_is_cancelled_after_the_cancelling_time(string status)
    {
        var (thread, run, _) = await RunIn(status);
        (await api.Cancel(thread, run)).Ok();
        await api.Advance(0.499);
        Assert.Equal("cancelling", (await api.GetRun(thread, run)).Status());

        var result = await api.Advance(0.001);
        var body = await api.GetRun(thread, run);

        Assert.Equal("cancelled", body.Status());
        Assert.Equal(result.Long("now"), body.Long("cancelled_at"));
        Assert.True(body.IsNull("expires_at"));
        Assert.True(body.IsNull("required_action"));
        Assert.True(body.IsNull("completed_at"));
        Assert.True(body.IsNull("failed_at"));
        var fired = Assert.Single(result.GetProperty("fired").EnumerateArray(), t => t.Str("run_id") == run);
        Assert.Equal("cancelling", fired.Str("from"));
        Assert.Equal("cancelled", fired.Str("to"));
    }

    [Fact]
    public async Task Cancelling_while_a_message_is_written_leaves_it_incomplete_and_its_step_cancelled()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(1);
        (await api.Cancel(thread, run)).Ok();
        await api.Advance(0.5);

        var message = Assert.Single(await api.Messages(thread, $"?run_id={run}"));
        Assert.Equal("incomplete", message.Str("status"));
        Assert.Equal("run_cancelled", message.GetProperty("incomplete_details").Str("reason"));
        var step = Assert.Single(await api.Steps(thread, run));
        Assert.Equal("cancelled", step.Str("status"));
        Assert.False(step.IsNull("cancelled_at"));
    }

    [Fact]
    public async Task Cancelling_a_run_requiring_action_cancels_its_tool_step()
    {
        var (thread, run, _) = await RunIn("requires_action");
        (await api.Cancel(thread, run)).Ok();
        await api.Advance(0.5);

        var step = Assert.Single(await api.Steps(thread, run));
        Assert.Equal("tool_calls", step.Str("type"));
        Assert.Equal("cancelled", step.Str("status"));
        Assert.False(step.IsNull("cancelled_at"));
    }

    [Fact]
    public async Task A_queued_run_cancelled_never_starts()
    {
        var (_, thread, run) = await api.StartRun();
        (await api.Cancel(thread, run)).Ok();
        var result = await api.Advance(5);

        var body = await api.GetRun(thread, run);
        Assert.Equal("cancelled", body.Status());
        Assert.True(body.IsNull("started_at"));
        Assert.Empty(await api.Steps(thread, run));
        Assert.DoesNotContain(result.GetProperty("fired").EnumerateArray(), t => t.Str("run_id") == run && t.Str("to") == "in_progress");
    }

    [Theory]
    [InlineData("complete", "completed")]
    [InlineData("fail", "failed")]
    [InlineData("incomplete", "incomplete")]
    public async Task Cancelling_an_ended_run_is_a_400_naming_its_status(string scenario, string status)
    {
        var (_, thread, run) = await api.StartRun(null, RunsApi.Scenario(scenario));
        await api.Advance(3);
        var before = (await api.Get($"/v1/threads/{thread}/runs/{run}")).Text;

        var error = (await api.Cancel(thread, run)).Error(HttpStatusCode.BadRequest);

        Assert.Equal($"Cannot cancel run with status '{status}'.", error.Message());
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.True(error.IsNull("param"));
        Assert.True(error.IsNull("code"));
        Assert.Equal(before, (await api.Get($"/v1/threads/{thread}/runs/{run}")).Text);
    }

    [Fact]
    public async Task Cancelling_a_cancelled_run_is_a_400()
    {
        var (_, thread, run) = await api.StartRun();
        (await api.Cancel(thread, run)).Ok();
        await api.Advance(1);
        var error = (await api.Cancel(thread, run)).Error(HttpStatusCode.BadRequest);
        Assert.Equal("Cannot cancel run with status 'cancelled'.", error.Message());
    }

    [Fact]
    public async Task Cancelling_an_expired_run_is_a_400()
    {
        var (thread, run, _) = await RunIn("requires_action");
        await api.Advance(600);
        var error = (await api.Cancel(thread, run)).Error(HttpStatusCode.BadRequest);
        Assert.Equal("Cannot cancel run with status 'expired'.", error.Message());
    }

    [Fact]
    public async Task Cancelling_twice_refuses_the_second_and_keeps_the_first()
    {
        var (_, thread, run) = await api.StartRun();
        var first = (await api.Cancel(thread, run)).Ok().Text;

        var error = (await api.Cancel(thread, run)).Error(HttpStatusCode.BadRequest);

        Assert.Equal("Cannot cancel run with status 'cancelling'.", error.Message());
        Assert.Equal(first, (await api.Get($"/v1/threads/{thread}/runs/{run}")).Text);
    }

    [Fact]
    public async Task A_cancelled_run_frees_its_thread_for_messages_and_runs()
    {
        var (assistant, thread, run) = await api.StartRun();
        (await api.Cancel(thread, run)).Ok();
        await api.Advance(0.5);

        (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "Again" })).Ok();
        (await api.CreateRun(thread, new { assistant_id = assistant })).Ok();
    }

    [Fact]
    public async Task A_cancelling_run_still_holds_its_thread()
    {
        var (assistant, thread, run) = await api.StartRun();
        (await api.Cancel(thread, run)).Ok();

        var error = (await api.CreateRun(thread, new { assistant_id = assistant })).Error(HttpStatusCode.BadRequest);
        Assert.Equal($"Thread {thread} already has an active run {run}.", error.Message());
    }

    [Fact]
    public async Task Cancelling_an_unknown_run_is_a_404()
    {
        var thread = await api.CreateThread();
        var error = (await api.Cancel(thread, "run_doesnotexist")).Error(HttpStatusCode.NotFound);
        Assert.Equal("No run found with id 'run_doesnotexist'.", error.Message());
    }
}
