using System.Net;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>A run still waiting at expires_at becomes expired (spec/runs.md §4.1, §4.2).</summary>
public sealed class RunExpiryTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private static JsonElement FiredFor(JsonElement advance, string run) =>
        Assert.Single(advance.GetProperty("fired").EnumerateArray(), t => t.Str("run_id") == run);

    [Fact]
    public async Task A_run_waiting_for_outputs_expires_exactly_at_its_expiry()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        var expiryMs = waiting.Long("expires_at") * 1000;

        await api.AdvanceToMs(expiryMs - 1);
        Assert.Equal("requires_action", (await api.GetRun(thread, run)).Status());

        var result = await api.Advance(0.001);
        var fired = FiredFor(result, run);
        Assert.Equal("requires_action", fired.Str("from"));
        Assert.Equal("expired", fired.Str("to"));
        Assert.Equal(expiryMs / 1000.0, fired.GetProperty("at").GetDouble());
    }

    [Fact]
    public async Task A_run_made_late_in_a_second_has_expired_by_the_expires_at_it_shows()
    {
        // expires_at is created_at + 600 in whole seconds; the run made at .900 must not outlive it by 0.9 s.
        var now = await api.NowMs();
        await api.AdvanceToMs((now / 1000 + 1) * 1000 + 900);
        var (thread, run, waiting) = await api.RunRequiringAction();
        Assert.Equal(waiting.Long("created_at") + 600, waiting.Long("expires_at"));

        await api.AdvanceToMs(waiting.Long("expires_at") * 1000);

        Assert.Equal("expired", (await api.GetRun(thread, run)).Status());
        var error = (await api.Submit(thread, run, waiting.CallIds())).Error(HttpStatusCode.BadRequest);
        Assert.Equal("Runs in status \"expired\" do not accept tool outputs.", error.Message());
    }

    [Fact]
    public async Task A_fractional_expiry_rounds_up_to_whole_seconds_and_the_run_expires_exactly_at_the_expires_at_it_shows()
    {
        using var server = MockServerFactory.With(("Mock:Timings:Expiry", "00:00:10.500"));
        var client = server.Api();
        var (thread, run, waiting) = await client.RunRequiringAction();
        Assert.Equal(waiting.Long("created_at") + 11, waiting.Long("expires_at"));

        await client.AdvanceToMs(waiting.Long("expires_at") * 1000 - 1);
        Assert.Equal("requires_action", (await client.GetRun(thread, run)).Status());
        await client.AdvanceToMs(waiting.Long("expires_at") * 1000);
        Assert.Equal("expired", (await client.GetRun(thread, run)).Status());
    }

    [Fact]
    public async Task An_expired_run_keeps_its_expiry_and_has_nothing_else_ended()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        await api.Advance(600);
        var body = await api.GetRun(thread, run);

        Assert.Equal("expired", body.Status());
        Assert.Equal(waiting.Long("expires_at"), body.Long("expires_at"));
        Assert.Equal(waiting.Long("started_at"), body.Long("started_at"));
        foreach (var field in new[] { "required_action", "cancelled_at", "failed_at", "completed_at", "last_error", "incomplete_details", "usage" })
        {
            Assert.True(body.IsNull(field), $"{field} should be null on an expired run");
        }
    }

    [Fact]
    public async Task The_tool_step_of_an_expired_run_is_expired_too()
    {
        var (thread, run, _) = await api.RunRequiringAction();
        await api.Advance(600);

        var step = Assert.Single(await api.Steps(thread, run));
        Assert.Equal("expired", step.Str("status"));
        Assert.False(step.IsNull("expired_at"));
        Assert.True(step.IsNull("completed_at"));
    }

    [Fact]
    public async Task The_expire_scenario_without_tools_waits_in_progress_until_it_expires()
    {
        var (_, thread, run) = await api.StartRun(null, RunsApi.Scenario("expire"));

        await api.AdvanceToMs((await api.GetRun(thread, run)).Long("expires_at") * 1000 - 1);
        Assert.Equal("in_progress", (await api.GetRun(thread, run)).Status());

        var fired = FiredFor(await api.Advance(0.001), run);
        Assert.Equal("in_progress", fired.Str("from"));
        Assert.Equal("expired", fired.Str("to"));
    }

    [Fact]
    public async Task The_message_an_expired_run_was_writing_is_left_incomplete()
    {
        var (_, thread, run) = await api.StartRun(null, RunsApi.Scenario("expire"));
        await api.Advance(601);

        var message = Assert.Single(await api.Messages(thread, $"?run_id={run}"));
        Assert.Equal("incomplete", message.Str("status"));
        Assert.Equal("run_expired", message.GetProperty("incomplete_details").Str("reason"));
        Assert.Equal("expired", Assert.Single(await api.Steps(thread, run)).Str("status"));
    }

    [Fact]
    public async Task The_expire_scenario_with_function_tools_waits_in_requires_action_until_it_expires()
    {
        // Timed from the run's own expires_at, which is created_at (whole seconds) plus ten minutes:
        // fixed numbers of seconds would hold only while this class's clock sat early in a second.
        var (thread, run, waiting) = await api.RunRequiringAction("expire");
        await api.AdvanceToMs(waiting.Long("expires_at") * 1000 - 1);
        Assert.Equal("requires_action", (await api.GetRun(thread, run)).Status());
        await api.Advance(0.001);
        Assert.Equal("expired", (await api.GetRun(thread, run)).Status());
    }

    [Fact]
    public async Task Outputs_after_expiry_are_refused()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        await api.Advance(600);

        var error = (await api.Submit(thread, run, waiting.CallIds())).Error(HttpStatusCode.BadRequest);

        Assert.Equal("Runs in status \"expired\" do not accept tool outputs.", error.Message());
    }

    [Fact]
    public async Task An_expired_run_frees_its_thread()
    {
        var (thread, run, _) = await api.RunRequiringAction();
        await api.Advance(600);
        Assert.Equal("expired", (await api.GetRun(thread, run)).Status());

        (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "Still there?" })).Ok();
    }

    [Fact]
    public async Task A_run_whose_in_progress_time_outlasts_the_expiry_ends_expired()
    {
        using var server = MockServerFactory.With(("Mock:Timings:InProgress", "00:00:10"), ("Mock:Timings:Expiry", "00:00:05"));
        var client = server.Api();
        var (_, thread, run) = await client.StartRun();

        var result = await client.Advance(30);

        Assert.Equal(["queued->in_progress", "in_progress->expired"], result.GetProperty("fired").EnumerateArray().Select(t => $"{t.Str("from")}->{t.Str("to")}"));
        Assert.Equal(MockServerFactory.Start + 5, result.GetProperty("fired")[1].GetProperty("at").GetDouble());
        var body = await client.GetRun(thread, run);
        Assert.Equal("expired", body.Status());
        Assert.True(body.IsNull("completed_at"));
    }

    [Fact]
    public async Task A_run_whose_queued_time_outlasts_the_expiry_expires_without_starting()
    {
        using var server = MockServerFactory.With(("Mock:Timings:Queued", "00:00:10"), ("Mock:Timings:Expiry", "00:00:05"));
        var client = server.Api();
        var (_, thread, run) = await client.StartRun();

        var result = await client.Advance(30);

        var fired = Assert.Single(result.GetProperty("fired").EnumerateArray());
        Assert.Equal("queued", fired.Str("from"));
        Assert.Equal("expired", fired.Str("to"));
        var body = await client.GetRun(thread, run);
        Assert.True(body.IsNull("started_at"));
        Assert.Equal(body.Long("created_at") + 5, body.Long("expires_at"));
    }

    [Fact]
    public async Task The_expiry_setting_sets_expires_at()
    {
        using var server = MockServerFactory.With(("Mock:Timings:Expiry", "00:01:00"));
        var client = server.Api();
        var (_, thread, run) = await client.StartRun();
        var body = await client.GetRun(thread, run);
        Assert.Equal(body.Long("created_at") + 60, body.Long("expires_at"));
    }
}
