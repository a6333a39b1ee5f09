using System.Text.Json;
using System.Net;
using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Tests.Runs;

namespace MockRunsServer.Tests.Control;

/// <summary>POST /_mock/runs/{id}/transition: legal moves now, illegal ones refused naming what is legal (contract §3).</summary>
public sealed class ForcedTransitionTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task A_queued_run_can_be_started_now()
    {
        var (_, thread, run) = await api.StartRun();
        var fired = (await api.Transition(run, "in_progress")).Ok().Json;

        Assert.Equal(run, fired.Str("run_id"));
        Assert.Equal(thread, fired.Str("thread_id"));
        Assert.Equal("queued", fired.Str("from"));
        Assert.Equal("in_progress", fired.Str("to"));
        var body = await api.GetRun(thread, run);
        Assert.Equal("in_progress", body.Status());
        Assert.Equal((await api.Get("/_mock/clock")).Ok().Json.Long("now"), body.Long("started_at"));
    }

    [Fact]
    public async Task A_started_run_then_moves_on_its_own_timings()
    {
        var (_, thread, run) = await api.StartRun();
        (await api.Transition(run, "in_progress")).Ok();
        await api.Advance(2);
        Assert.Equal("completed", (await api.GetRun(thread, run)).Status());
    }

    [Fact]
    public async Task An_in_progress_run_can_be_failed_with_a_given_error()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(1);
        (await api.Transition(run, "failed", new { code = "rate_limit_exceeded", message = "Slow down." })).Ok();

        var body = await api.GetRun(thread, run);
        Assert.Equal("failed", body.Status());
        Assert.Equal("rate_limit_exceeded", body.GetProperty("last_error").Str("code"));
        Assert.Equal("Slow down.", body.GetProperty("last_error").Str("message"));
        Assert.False(body.IsNull("failed_at"));
        Assert.True(body.IsNull("expires_at"));
    }

    [Fact]
    public async Task A_failure_without_an_error_is_a_server_error()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(1);
        (await api.Transition(run, "failed")).Ok();
        var failed = await api.GetRun(thread, run);
        Assert.Equal("failed", failed.Status());
        Assert.Equal("server_error", failed.GetProperty("last_error").Str("code"));
    }

    [Fact]
    public async Task An_error_given_with_any_status_but_failed_is_a_400_and_moves_nothing()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(1);
        var before = (await api.Get($"/v1/threads/{thread}/runs/{run}")).Ok().Text;

        var error = (await api.Transition(run, "completed", new { code = "server_error" })).Error(HttpStatusCode.BadRequest);

        Assert.Equal("last_error", error.Str("param"));
        Assert.Equal(before, (await api.Get($"/v1/threads/{thread}/runs/{run}")).Ok().Text);
    }

    [Fact]
    public async Task A_bad_error_code_is_a_400()
    {
        var (_, _, run) = await api.StartRun();
        await api.Advance(1);
        var error = (await api.Transition(run, "failed", new { code = "oops" })).Error(HttpStatusCode.BadRequest);
        Assert.Equal("last_error.code", error.Str("param"));
    }

    [Fact]
    public async Task An_in_progress_run_with_function_tools_can_be_made_to_require_action()
    {
        var (_, thread, run) = await api.StartRun(RunsApi.ToolAssistant);
        await api.Advance(1);
        (await api.Transition(run, "requires_action")).Ok();

        var body = await api.GetRun(thread, run);
        Assert.Equal("requires_action", body.Status());
        var ids = body.CallIds();
        Assert.NotEmpty(ids);
        var steps = await api.Steps(thread, run);
        var tool = Assert.Single(steps, s => s.Str("type") == "tool_calls");
        Assert.Equal("in_progress", tool.Str("status"));
        // The message the run had begun is abandoned, not erased: its step is cancelled, the message incomplete.
        var abandoned = Assert.Single(steps, s => s.Str("type") == "message_creation");
        Assert.Equal("cancelled", abandoned.Str("status"));
        var message = Assert.Single(await api.Messages(thread, $"?run_id={run}"));
        Assert.Equal("incomplete", message.Str("status"));

        (await api.Submit(thread, run, ids)).Ok();
        await api.Advance(3);
        Assert.Equal("completed", (await api.GetRun(thread, run)).Status());
    }

    [Fact]
    public async Task A_run_without_function_tools_cannot_be_made_to_require_action()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(1);
        (await api.Transition(run, "requires_action")).Error(HttpStatusCode.BadRequest);
        Assert.Equal("in_progress", (await api.GetRun(thread, run)).Status());
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("incomplete")]
    [InlineData("expired")]
    [InlineData("cancelling")]
    public async Task An_in_progress_run_can_be_moved_to(string status)
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(1);
        var fired = (await api.Transition(run, status)).Ok().Json;
        Assert.Equal(status, fired.Str("to"));
        Assert.Equal(status, (await api.GetRun(thread, run)).Status());
    }

    private const string TwelveWords = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu.";

    /// <summary>A run writing <see cref="TwelveWords"/>, forced to <paramref name="status"/> after <paramref name="seconds"/>: its message, the text shown, its step and itself.</summary>
    private static async Task<(JsonElement Message, string Text, JsonElement Step, JsonElement Run)> ForcedMidMessage(double seconds, string status)
    {
        using var server = MockServerFactory.With(("Mock:Scenarios:fixed:MessageText", TwelveWords));
        var client = server.Api();
        var (_, thread, run) = await client.StartRun(null, null, ("X-Mock-Scenario", "fixed"));
        await client.Advance(seconds);

        (await client.Transition(run, status)).Ok();

        var message = Assert.Single(await client.Messages(thread, $"?run_id={run}"));
        var step = Assert.Single(await client.Steps(thread, run));
        return (message, message.GetProperty("content")[0].GetProperty("text").Str("value"), step, await client.GetRun(thread, run));
    }

    private static int CompletionTokens(JsonElement withUsage) => withUsage.GetProperty("usage").GetProperty("completion_tokens").GetInt32();

    [Fact]
    public async Task A_run_forced_incomplete_has_its_message_cut_short_as_a_natural_one()
    {
        var (message, text, step, _) = await ForcedMidMessage(0.5, "incomplete");

        Assert.Equal("incomplete", message.Str("status"));
        Assert.NotEmpty(text);
        Assert.True(text.Length < TwelveWords.Length, $"'{text}' was not cut");
        Assert.StartsWith(text, TwelveWords);
        Assert.Equal((text.Length + 3) / 4, CompletionTokens(step));
    }

    [Fact]
    public async Task A_run_forced_to_fail_mid_message_counts_the_text_it_had_written()
    {
        var (message, text, step, run) = await ForcedMidMessage(1.6, "failed");

        Assert.Equal("incomplete", message.Str("status"));
        Assert.NotEmpty(text);
        Assert.Equal((text.Length + 3) / 4, CompletionTokens(step));
        Assert.Equal((text.Length + 3) / 4, CompletionTokens(run));
    }

    [Fact]
    public async Task A_run_requiring_action_can_be_cancelled_and_the_cancel_finished()
    {
        var (thread, run, _) = await api.RunRequiringAction();
        (await api.Transition(run, "cancelling")).Ok();
        var body = await api.GetRun(thread, run);
        Assert.Equal("cancelling", body.Status());
        Assert.True(body.IsNull("required_action"));

        (await api.Transition(run, "cancelled")).Ok();
        body = await api.GetRun(thread, run);
        Assert.Equal("cancelled", body.Status());
        Assert.False(body.IsNull("cancelled_at"));
        Assert.DoesNotContain((await api.Advance(5)).GetProperty("fired").EnumerateArray(), t => t.Str("run_id") == run);
    }

    [Fact]
    public async Task A_queued_run_can_be_expired()
    {
        var (_, thread, run) = await api.StartRun();
        (await api.Transition(run, "expired")).Ok();
        Assert.Equal("expired", (await api.GetRun(thread, run)).Status());
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("requires_action")]
    [InlineData("queued")]
    [InlineData("cancelled")]
    [InlineData("failed")]
    public async Task An_illegal_move_from_queued_is_a_400_naming_the_legal_ones(string target)
    {
        var (_, thread, run) = await api.StartRun();
        var error = (await api.Transition(run, target)).Error(HttpStatusCode.BadRequest);
        Assert.Equal($"Cannot move run {run} from 'queued' to '{target}'. Legal next statuses: 'in_progress', 'cancelling', 'expired'.", error.Message());
        Assert.Equal("status", error.Str("param"));
        Assert.Equal("queued", (await api.GetRun(thread, run)).Status());
    }

    [Fact]
    public async Task A_run_requiring_action_cannot_be_completed_by_force()
    {
        var (thread, run, _) = await api.RunRequiringAction();
        var error = (await api.Transition(run, "completed")).Error(HttpStatusCode.BadRequest);
        Assert.Contains("'cancelling'", error.Message());
        Assert.Contains("'expired'", error.Message());
        Assert.Equal("requires_action", (await api.GetRun(thread, run)).Status());
    }

    [Fact]
    public async Task A_cancelling_run_can_only_be_cancelled()
    {
        var (_, thread, run) = await api.StartRun();
        (await api.Cancel(thread, run)).Ok();
        var error = (await api.Transition(run, "in_progress")).Error(HttpStatusCode.BadRequest);
        Assert.Contains("'cancelled'", error.Message());
    }

    [Fact]
    public async Task An_ended_run_cannot_move_at_all()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(3);
        var before = (await api.Get($"/v1/threads/{thread}/runs/{run}")).Text;

        var error = (await api.Transition(run, "failed")).Error(HttpStatusCode.BadRequest);

        Assert.Contains("ended", error.Message());
        Assert.Equal(before, (await api.Get($"/v1/threads/{thread}/runs/{run}")).Text);
    }

    [Fact]
    public async Task An_unknown_status_is_a_400()
    {
        var (_, _, run) = await api.StartRun();
        var error = (await api.Transition(run, "sleeping")).Error(HttpStatusCode.BadRequest);
        Assert.Equal("status", error.Str("param"));
    }

    [Fact]
    public async Task A_missing_status_is_a_400()
    {
        var (_, _, run) = await api.StartRun();
        var error = (await api.Post($"/_mock/runs/{run}/transition", new { })).Error(HttpStatusCode.BadRequest);
        Assert.Equal("missing_required_parameter", error.Str("code"));
    }

    [Fact]
    public async Task An_unknown_run_is_a_404()
    {
        var error = (await api.Transition("run_doesnotexist", "in_progress")).Error(HttpStatusCode.NotFound);
        Assert.Equal("No run found with id 'run_doesnotexist'.", error.Message());
    }

    [Fact]
    public async Task A_run_of_a_deleted_thread_is_a_404()
    {
        var (_, thread, run) = await api.StartRun();
        (await api.Delete($"/v1/threads/{thread}")).Ok();
        (await api.Transition(run, "in_progress")).Error(HttpStatusCode.NotFound);
    }
}
