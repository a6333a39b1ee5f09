using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>A run moving on the manual clock, and the fields each status sets and clears (spec/runs.md §4.2).</summary>
public sealed class RunLifecycleTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task A_new_run_is_queued_with_expiry_and_nothing_else_set()
    {
        var (_, thread, run) = await api.StartRun();
        var body = await api.GetRun(thread, run);

        Assert.Equal("queued", body.Status());
        Assert.True(body.IsNull("started_at"));
        Assert.Equal(body.Long("created_at") + 600, body.Long("expires_at"));
        foreach (var field in new[] { "cancelled_at", "failed_at", "completed_at", "required_action", "last_error", "incomplete_details", "usage" })
        {
            Assert.True(body.IsNull(field), $"{field} should be null on a queued run");
        }
    }

    [Fact]
    public async Task A_run_starts_after_the_queued_time_with_started_at_set()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(0.4);
        Assert.Equal("queued", (await api.GetRun(thread, run)).Status());

        await api.Advance(0.1);
        var body = await api.GetRun(thread, run);

        Assert.Equal("in_progress", body.Status());
        Assert.False(body.IsNull("started_at"));
        Assert.False(body.IsNull("expires_at"));
        Assert.True(body.IsNull("usage"));
    }

    [Fact]
    public async Task A_completed_run_has_completed_at_usage_and_no_expiry()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(2.5);
        var body = await api.GetRun(thread, run);

        Assert.Equal("completed", body.Status());
        Assert.False(body.IsNull("completed_at"));
        Assert.True(body.IsNull("expires_at"));
        var usage = body.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        Assert.True(usage.GetProperty("completion_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task A_completed_run_wrote_an_assistant_message_and_a_completed_message_creation_step()
    {
        var (assistant, thread, run) = await api.StartRun();
        await api.Advance(2.5);

        var messages = (await api.Get($"/v1/threads/{thread}/messages?run_id={run}")).Ok().Json.GetProperty("data");
        var message = Assert.Single(messages.EnumerateArray());
        Assert.Equal("assistant", message.Str("role"));
        Assert.Equal(assistant, message.Str("assistant_id"));
        Assert.Equal(run, message.Str("run_id"));
        Assert.Equal("completed", message.Str("status"));
        var text = message.GetProperty("content")[0].GetProperty("text").GetProperty("value").GetString();
        Assert.False(string.IsNullOrWhiteSpace(text));

        var steps = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps")).Ok().Json.GetProperty("data");
        var step = Assert.Single(steps.EnumerateArray());
        Assert.Equal("message_creation", step.Str("type"));
        Assert.Equal("completed", step.Str("status"));
        Assert.Equal(message.Str("id"), step.GetProperty("step_details").GetProperty("message_creation").Str("message_id"));
        Assert.False(step.IsNull("usage"));
    }

    [Fact]
    public async Task The_run_usage_is_the_sum_of_its_steps_usage()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(3);
        var usage = (await api.GetRun(thread, run)).GetProperty("usage");
        var steps = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps")).Ok().Json.GetProperty("data");
        var sum = steps.EnumerateArray().Sum(step => step.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(sum, usage.GetProperty("total_tokens").GetInt32());
    }

    private static void AssertNull(JsonElement run, params string[] fields)
    {
        foreach (var field in fields)
        {
            Assert.True(run.IsNull(field), $"{field} should be null on a {run.Status()} run, was {run.GetProperty(field)}");
        }
    }

    [Fact]
    public async Task A_run_requiring_action_keeps_started_at_and_expiry_and_shows_the_calls()
    {
        var (_, thread, run) = await api.StartToolRun();
        await api.Advance(0.5);
        var started = (await api.GetRun(thread, run)).Long("started_at");
        await api.Advance(2);
        var body = await api.GetRun(thread, run);

        Assert.Equal("requires_action", body.Status());
        Assert.Equal(started, body.Long("started_at"));
        Assert.Equal(body.Long("created_at") + 600, body.Long("expires_at"));
        AssertNull(body, "cancelled_at", "failed_at", "completed_at", "last_error", "incomplete_details", "usage");
        var action = body.GetProperty("required_action");
        Assert.Equal("submit_tool_outputs", action.Str("type"));
        var calls = action.GetProperty("submit_tool_outputs").GetProperty("tool_calls").EnumerateArray().ToList();
        Assert.Equal(["get_weather", "get_time"], calls.Select(call => call.GetProperty("function").Str("name")));
        Assert.All(calls, call => Assert.Equal("function", call.Str("type")));
        Assert.All(calls, call => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(call.GetProperty("function").Str("arguments")).RootElement.ValueKind));
    }

    [Fact]
    public async Task A_run_queued_again_after_outputs_keeps_its_old_started_at_and_clears_required_action()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        await api.Advance(10);
        var body = (await api.Submit(thread, run, waiting.CallIds())).Ok().Json;

        Assert.Equal("queued", body.Status());
        Assert.Equal(waiting.Long("started_at"), body.Long("started_at"));
        Assert.Equal(waiting.Long("expires_at"), body.Long("expires_at"));
        AssertNull(body, "required_action", "cancelled_at", "failed_at", "completed_at", "last_error", "incomplete_details", "usage");
    }

    [Fact]
    public async Task A_run_in_progress_again_has_started_at_stamped_anew()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        await api.Advance(10);
        (await api.Submit(thread, run, waiting.CallIds())).Ok();
        var restarted = Assert.Single((await api.Advance(0.5)).GetProperty("fired").EnumerateArray(), t => t.Str("run_id") == run);
        var body = await api.GetRun(thread, run);

        Assert.Equal("in_progress", body.Status());
        // The whole second of the restart itself (half a second after the submit, perhaps in the next second).
        Assert.Equal("in_progress", restarted.Str("to"));
        Assert.Equal((long)Math.Floor(restarted.GetProperty("at").GetDouble()), body.Long("started_at"));
        Assert.NotEqual(waiting.Long("started_at"), body.Long("started_at"));
        Assert.Equal(waiting.Long("expires_at"), body.Long("expires_at"));
        AssertNull(body, "required_action", "completed_at", "usage");
    }

    [Fact]
    public async Task A_run_completed_after_a_tool_round_counts_both_steps_in_its_usage()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        (await api.Submit(thread, run, waiting.CallIds())).Ok();
        await api.Advance(2.5);
        var body = await api.GetRun(thread, run);

        Assert.Equal("completed", body.Status());
        AssertNull(body, "expires_at", "required_action", "failed_at", "cancelled_at", "last_error", "incomplete_details");
        var steps = await api.Steps(thread, run);
        Assert.Equal(2, steps.Count);
        Assert.Equal(steps.Sum(step => step.GetProperty("usage").GetProperty("total_tokens").GetInt32()), body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Theory]
    [InlineData("fail", "server_error")]
    [InlineData("rate_limit", "rate_limit_exceeded")]
    [InlineData("invalid_prompt", "invalid_prompt")]
    public async Task A_failed_run_has_failed_at_last_error_usage_and_no_expiry(string scenario, string code)
    {
        var (_, thread, run) = await api.StartRun(null, RunsApi.Scenario(scenario));
        var result = await api.Advance(2.5);
        var body = await api.GetRun(thread, run);

        Assert.Equal("failed", body.Status());
        var at = result.GetProperty("fired").EnumerateArray().Single(t => t.Str("run_id") == run && t.Str("to") == "failed").GetProperty("at").GetDouble();
        Assert.Equal((long)Math.Floor(at), body.Long("failed_at"));
        Assert.Equal(code, body.GetProperty("last_error").Str("code"));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("last_error").Str("message")));
        Assert.False(body.IsNull("started_at"));
        Assert.False(body.IsNull("usage"));
        AssertNull(body, "expires_at", "completed_at", "cancelled_at", "required_action", "incomplete_details");
    }

    [Fact]
    public async Task An_incomplete_run_has_incomplete_details_usage_and_no_expiry()
    {
        var (_, thread, run) = await api.StartRun(null, RunsApi.Scenario("incomplete"));
        await api.Advance(2.5);
        var body = await api.GetRun(thread, run);

        Assert.Equal("incomplete", body.Status());
        Assert.Equal("max_completion_tokens", body.GetProperty("incomplete_details").Str("reason"));
        Assert.False(body.IsNull("usage"));
        Assert.False(body.IsNull("started_at"));
        AssertNull(body, "expires_at", "completed_at", "failed_at", "cancelled_at", "required_action", "last_error");
    }

    [Fact]
    public async Task An_in_progress_run_shows_no_outcome_fields()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(1);
        var body = await api.GetRun(thread, run);
        Assert.Equal("in_progress", body.Status());
        AssertNull(body, "cancelled_at", "failed_at", "completed_at", "required_action", "last_error", "incomplete_details", "usage");
    }

    [Fact]
    public async Task Advancing_reports_each_transition_fired_in_order()
    {
        var (_, thread, run) = await api.StartRun();
        var result = await api.Advance(5);

        var fired = result.GetProperty("fired").EnumerateArray().Where(t => t.Str("run_id") == run).ToList();
        Assert.Equal(["queued->in_progress", "in_progress->completed"], fired.Select(t => $"{t.Str("from")}->{t.Str("to")}"));
        Assert.All(fired, t => Assert.Equal(thread, t.Str("thread_id")));
        Assert.True(fired[0].GetProperty("at").GetDouble() < fired[1].GetProperty("at").GetDouble());
    }

    [Fact]
    public async Task Nothing_moves_in_manual_mode_until_the_clock_is_advanced()
    {
        var (_, thread, run) = await api.StartRun();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("queued", (await api.GetRun(thread, run)).Status());
        }
    }

    [Fact]
    public async Task A_terminal_run_never_changes_again()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(3);
        var before = (await api.Get($"/v1/threads/{thread}/runs/{run}")).Text;
        await api.Advance(3600);
        var after = (await api.Get($"/v1/threads/{thread}/runs/{run}")).Text;
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Run_timestamps_are_whole_unix_seconds_from_the_manual_clock()
    {
        var clock = (await api.Get("/_mock/clock")).Ok().Json;
        var (_, thread, run) = await api.StartRun();
        var body = await api.GetRun(thread, run);
        Assert.Equal(JsonValueKind.Number, body.GetProperty("created_at").ValueKind);
        Assert.Equal(clock.Long("now"), body.Long("created_at"));
    }
}
