using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>
/// A client action and a due transition meeting: whichever the server applies first wins, and a
/// transition scheduled before a cancel, a submit or a forced move never undoes it.
/// </summary>
public sealed class RunRaceTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private static List<string> Moves(JsonElement advance, string run) =>
        advance.GetProperty("fired").EnumerateArray().Where(t => t.Str("run_id") == run).Select(t => $"{t.Str("from")}->{t.Str("to")}").ToList();

    [Fact]
    public async Task A_transition_scheduled_behind_the_manual_clock_applies_at_the_clocks_time()
    {
        // A create that read the clock just before a concurrent advance moved past its start's due time:
        // reproduced by scheduling the start behind the clock, as the race leaves it.
        using var server = MockServerFactory.With(("Mock:Timings:Queued", "00:00:10"));
        var client = server.Api();
        var (_, thread, run) = await client.StartRun();
        await client.Advance(5);
        var record = server.Services.GetRequiredService<MockRunsServer.Store.MockStore>().FindRun(run)!;
        lock (record.Thread.Gate)
        {
            server.Services.GetRequiredService<MockRunsServer.Runs.RunScheduler>()
                .Schedule(record, MockRunsServer.Runs.TransitionKind.Start, (MockServerFactory.Start + 1) * 1000);
        }

        var result = await client.Advance(1);

        var started = result.GetProperty("fired").EnumerateArray().Single(t => t.Str("run_id") == run);
        Assert.Equal(MockServerFactory.Start + 5.0, started.GetProperty("at").GetDouble());
        Assert.Equal(MockServerFactory.Start + 5, (await client.GetRun(thread, run)).GetProperty("started_at").GetInt64());
    }

    [Fact]
    public async Task A_start_that_comes_after_the_runs_expiry_expires_it_instead()
    {
        // The same race, later still: the clock has passed the run's expires_at before its start fires.
        using var server = MockServerFactory.With(("Mock:Timings:Queued", "00:00:01"), ("Mock:Timings:Expiry", "00:00:03"));
        var client = server.Api();
        var (_, thread, run) = await client.StartRun();
        server.Services.GetRequiredService<MockRunsServer.Runs.MockClock>().MoveTo((MockServerFactory.Start + 5) * 1000);

        var result = await client.Advance(0.001);

        Assert.Equal(["queued->expired"], Moves(result, run));
        var body = await client.GetRun(thread, run);
        Assert.Equal("expired", body.Status());
        Assert.True(body.IsNull("started_at"));
    }

    [Fact]
    public async Task A_cancel_at_the_instant_the_start_is_due_wins()
    {
        using var server = MockServerFactory.With(("Mock:Timings:Queued", "00:00:00"));
        var client = server.Api();
        var (_, thread, run) = await client.StartRun();

        (await client.Cancel(thread, run)).Ok();
        var result = await client.Advance(1);

        Assert.Equal(["cancelling->cancelled"], Moves(result, run));
        var body = await client.GetRun(thread, run);
        Assert.Equal("cancelled", body.Status());
        Assert.True(body.IsNull("started_at"));
    }

    [Fact]
    public async Task A_cancel_whose_end_falls_on_the_same_instant_as_the_old_finish_wins()
    {
        // Tool run: starts at +0.5, would reach requires_action at +2.5; cancelled at +2.0 it ends at +2.5 too.
        var (_, thread, run) = await api.StartToolRun();
        await api.Advance(2);
        (await api.Cancel(thread, run)).Ok();

        var result = await api.Advance(0.5);

        Assert.Equal(["cancelling->cancelled"], Moves(result, run));
        var body = await api.GetRun(thread, run);
        Assert.Equal("cancelled", body.Status());
        Assert.True(body.IsNull("required_action"));
    }

    [Fact]
    public async Task A_transition_scheduled_before_a_cancel_does_nothing_after_it()
    {
        using var server = MockServerFactory.With(("Mock:Timings:Cancelling", "00:00:05"));
        var client = server.Api();
        var (_, thread, run) = await client.StartRun();
        await client.Advance(1);
        (await client.Cancel(thread, run)).Ok();
        var messageBefore = (await client.Messages(thread, $"?run_id={run}")).Single().GetProperty("content").GetRawText();

        var past = await client.Advance(3);

        Assert.Empty(Moves(past, run));
        Assert.Equal("cancelling", (await client.GetRun(thread, run)).Status());
        Assert.Equal(messageBefore, (await client.Messages(thread, $"?run_id={run}")).Single().GetProperty("content").GetRawText());

        var end = await client.Advance(2);
        Assert.Equal(["cancelling->cancelled"], Moves(end, run));
    }

    [Fact]
    public async Task Of_two_cancels_only_the_first_counts()
    {
        var (_, thread, run) = await api.StartRun();
        (await api.Cancel(thread, run)).Ok();
        (await api.Cancel(thread, run)).Error(HttpStatusCode.BadRequest);

        var result = await api.Advance(5);

        Assert.Equal(["cancelling->cancelled"], Moves(result, run));
    }

    [Fact]
    public async Task Of_two_concurrent_cancels_exactly_one_is_accepted()
    {
        for (var i = 0; i < 20; i++)
        {
            var (_, thread, run) = await api.StartRun();
            var answers = await Task.WhenAll(api.Cancel(thread, run), api.Cancel(thread, run));

            Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
            var refused = Assert.Single(answers, a => a.Status == HttpStatusCode.BadRequest);
            Assert.Equal("Cannot cancel run with status 'cancelling'.", refused.Error(HttpStatusCode.BadRequest).Message());
            Assert.Equal(["cancelling->cancelled"], Moves(await api.Advance(1), run));
        }
    }

    [Fact]
    public async Task Outputs_submitted_just_before_expiry_are_kept_and_the_run_then_expires_while_queued()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        await api.AdvanceToMs(waiting.Long("expires_at") * 1000 - 1);

        (await api.Submit(thread, run, waiting.CallIds())).Ok();
        var result = await api.Advance(1);

        Assert.Equal(["queued->expired"], Moves(result, run));
        var step = Assert.Single(await api.Steps(thread, run));
        Assert.Equal("completed", step.Str("status"));
        var calls = step.GetProperty("step_details").GetProperty("tool_calls").EnumerateArray().ToList();
        Assert.Equal(waiting.CallIds(), calls.Select(call => call.Str("id")));
        Assert.All(calls, call => Assert.False(call.GetProperty("function").IsNull("output")));
        // The run has ended, so its steps no longer show its expiry, as after every other ending.
        Assert.True(step.IsNull("expires_at"));
    }

    [Fact]
    public async Task Outputs_submitted_at_the_instant_of_expiry_are_refused()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        await api.AdvanceToMs(waiting.Long("expires_at") * 1000);

        var error = (await api.Submit(thread, run, waiting.CallIds())).Error(HttpStatusCode.BadRequest);

        Assert.Equal("Runs in status \"expired\" do not accept tool outputs.", error.Message());
        Assert.Equal("expired", Assert.Single(await api.Steps(thread, run)).Str("status"));
    }

    [Fact]
    public async Task A_submit_racing_the_expiry_leaves_run_and_step_agreeing_on_who_won()
    {
        for (var i = 0; i < 10; i++)
        {
            var (thread, run, waiting) = await api.RunRequiringAction();
            await api.AdvanceToMs(waiting.Long("expires_at") * 1000 - 1);

            var submit = api.Submit(thread, run, waiting.CallIds());
            var advance = api.Post("/_mock/clock/advance", new { seconds = 0.001 });
            var answers = await Task.WhenAll(submit, advance);
            answers[1].Ok();

            var step = Assert.Single(await api.Steps(thread, run));
            if (answers[0].Status == HttpStatusCode.OK)
            {
                Assert.Equal("completed", step.Str("status"));
            }
            else
            {
                Assert.Equal("Runs in status \"expired\" do not accept tool outputs.", answers[0].Error(HttpStatusCode.BadRequest).Message());
                Assert.Equal("expired", step.Str("status"));
            }
            await api.Advance(1);
            Assert.Equal("expired", (await api.GetRun(thread, run)).Status());
        }
    }

    [Fact]
    public async Task A_cancel_racing_the_start_ends_cancelled_whichever_comes_first()
    {
        for (var i = 0; i < 10; i++)
        {
            var (_, thread, run) = await api.StartRun();
            await api.Advance(0.499);

            var answers = await Task.WhenAll(api.Cancel(thread, run), api.Post("/_mock/clock/advance", new { seconds = 0.001 }));
            answers[0].Ok();
            answers[1].Ok();

            await api.Advance(1);
            var body = await api.GetRun(thread, run);
            Assert.Equal("cancelled", body.Status());
            Assert.True(body.IsNull("completed_at"));
        }
    }

    [Fact]
    public async Task A_run_cancelled_just_before_its_expiry_ends_cancelled_not_expired()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        await api.AdvanceToMs(waiting.Long("expires_at") * 1000 - 100);
        (await api.Cancel(thread, run)).Ok();

        var result = await api.Advance(1);

        Assert.Equal(["cancelling->cancelled"], Moves(result, run));
        Assert.Equal("cancelled", Assert.Single(await api.Steps(thread, run)).Str("status"));
    }

    [Fact]
    public async Task A_start_forced_early_is_not_repeated_when_the_scheduled_one_falls_due()
    {
        var (_, thread, run) = await api.StartRun();
        (await api.Transition(run, "in_progress")).Ok();
        var started = await api.GetRun(thread, run);

        var result = await api.Advance(0.5);

        Assert.DoesNotContain("queued->in_progress", Moves(result, run));
        Assert.Equal(started.GetProperty("started_at").GetRawText(), (await api.GetRun(thread, run)).GetProperty("started_at").GetRawText());
        Assert.Single(await api.Steps(thread, run));
    }

    [Fact]
    public async Task A_finish_scheduled_before_a_forced_tool_round_does_not_end_the_next_in_progress_early()
    {
        // One piece per message, so the first in_progress schedules a single Finish at +2.5 s.
        using var server = MockServerFactory.With(("Mock:Streaming:Chunks", "1"));
        var client = server.Api();
        var (_, thread, run) = await client.StartRun(RunsApi.ToolAssistant, RunsApi.Scenario("complete"));
        await client.Advance(0.6);
        (await client.Transition(run, "requires_action")).Ok();
        (await client.Submit(thread, run, (await client.GetRun(thread, run)).CallIds())).Ok();

        // Back in progress at +1.1 s; the old Finish falls due at +2.5 s, the new one at +3.1 s.
        var early = await client.Advance(1.9);
        Assert.Equal(["queued->in_progress"], Moves(early, run));
        Assert.Equal("in_progress", (await client.GetRun(thread, run)).Status());

        var due = await client.Advance(0.6);
        Assert.Equal(["in_progress->completed"], Moves(due, run));
    }

    [Fact]
    public async Task A_forced_failure_is_not_undone_by_the_scheduled_finish()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(1);
        (await api.Transition(run, "failed")).Ok();
        var failed = (await api.Get($"/v1/threads/{thread}/runs/{run}")).Text;

        var result = await api.Advance(5);

        Assert.Empty(Moves(result, run));
        Assert.Equal(failed, (await api.Get($"/v1/threads/{thread}/runs/{run}")).Text);
    }
}
