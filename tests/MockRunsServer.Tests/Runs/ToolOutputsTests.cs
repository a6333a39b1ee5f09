using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>Submitting tool outputs: when it is allowed, what must be answered, and what follows (spec/runs.md §5).</summary>
public sealed class ToolOutputsTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task The_tool_step_waits_in_progress_with_the_same_calls_and_no_outputs()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();

        var step = Assert.Single(await api.Steps(thread, run));
        Assert.Equal("tool_calls", step.Str("type"));
        Assert.Equal("in_progress", step.Str("status"));
        Assert.True(step.IsNull("usage"));
        var calls = step.GetProperty("step_details").GetProperty("tool_calls").EnumerateArray().ToList();
        Assert.Equal(waiting.CallIds(), calls.Select(call => call.Str("id")));
        Assert.All(calls, call => Assert.True(call.GetProperty("function").IsNull("output")));
        Assert.All(calls, call => Assert.Matches("^call_[A-Za-z0-9]{24}$", call.Str("id")));
    }

    [Fact]
    public async Task Outputs_for_every_call_answer_the_run_queued()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        var response = await api.Submit(thread, run, waiting.CallIds());

        var body = response.Ok().Json;
        Assert.Equal("queued", body.Status());
        Assert.True(body.IsNull("required_action"));
    }

    [Fact]
    public async Task After_outputs_the_run_completes_and_its_tool_step_holds_each_output()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        var ids = waiting.CallIds();
        (await api.Submit(thread, run, ids)).Ok();
        await api.Advance(2.5);

        Assert.Equal("completed", (await api.GetRun(thread, run)).Status());
        var steps = await api.Steps(thread, run, "?order=asc");
        Assert.Equal(["tool_calls", "message_creation"], steps.Select(step => step.Str("type")));
        var tool = steps[0];
        Assert.Equal("completed", tool.Str("status"));
        Assert.False(tool.IsNull("completed_at"));
        Assert.False(tool.IsNull("usage"));
        var outputs = tool.GetProperty("step_details").GetProperty("tool_calls").EnumerateArray()
            .ToDictionary(call => call.Str("id"), call => call.GetProperty("function").Str("output"));
        Assert.Equal(ids.ToDictionary(id => id, id => $"out-{id}"), outputs);
        Assert.Equal("completed", steps[1].Str("status"));
    }

    [Fact]
    public async Task Outputs_may_come_in_any_order()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        var ids = waiting.CallIds();
        ids.Reverse();
        Assert.Equal("queued", (await api.Submit(thread, run, ids)).Ok().Json.Status());
    }

    [Fact]
    public async Task A_run_that_was_queued_again_completes_with_its_reply_after_the_tool_round()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        (await api.Submit(thread, run, waiting.CallIds())).Ok();
        await api.Advance(2.5);

        var message = Assert.Single(await api.Messages(thread, $"?run_id={run}"));
        Assert.Equal("completed", message.Str("status"));
        Assert.Equal("assistant", message.Str("role"));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("extra")]
    [InlineData("duplicate")]
    [InlineData("unknown")]
    [InlineData("none")]
    public async Task Outputs_that_do_not_answer_exactly_the_pending_calls_are_refused_and_change_nothing(string mistake)
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        var ids = waiting.CallIds();
        Assert.Equal(2, ids.Count);
        List<string> given = mistake switch
        {
            "missing" => [ids[0]],
            "extra" => [ids[0], ids[1], "call_notonethatwasasked00"],
            "duplicate" => [ids[0], ids[0]],
            "unknown" => [ids[0], "call_notonethatwasasked00"],
            _ => [],
        };
        var before = (await api.Get($"/v1/threads/{thread}/runs/{run}")).Text;
        var stepsBefore = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps")).Text;

        var error = (await api.Submit(thread, run, given)).Error(HttpStatusCode.BadRequest);

        var expected = $"Expected tool outputs for call_ids [{string.Join(", ", ids.Select(id => $"'{id}'"))}], got [{string.Join(", ", given.Select(id => $"'{id}'"))}]";
        Assert.Equal(expected, error.Message());
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.True(error.IsNull("param"));
        Assert.True(error.IsNull("code"));
        Assert.Equal(before, (await api.Get($"/v1/threads/{thread}/runs/{run}")).Text);
        Assert.Equal(stepsBefore, (await api.Get($"/v1/threads/{thread}/runs/{run}/steps")).Text);
    }

    [Fact]
    public async Task A_refused_submission_can_be_followed_by_a_correct_one()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        var ids = waiting.CallIds();
        (await api.Submit(thread, run, ids.Take(1))).Error(HttpStatusCode.BadRequest);
        Assert.Equal("queued", (await api.Submit(thread, run, ids)).Ok().Json.Status());
    }

    [Fact]
    public async Task Outputs_to_a_queued_run_are_refused()
    {
        var (_, thread, run) = await api.StartToolRun();
        var error = (await api.Submit(thread, run, ["call_abc"])).Error(HttpStatusCode.BadRequest);
        Assert.Equal("Runs in status \"queued\" do not accept tool outputs.", error.Message());
    }

    [Fact]
    public async Task Outputs_to_an_in_progress_run_are_refused()
    {
        var (_, thread, run) = await api.StartToolRun();
        await api.Advance(1);
        var error = (await api.Submit(thread, run, ["call_abc"])).Error(HttpStatusCode.BadRequest);
        Assert.Equal("Runs in status \"in_progress\" do not accept tool outputs.", error.Message());
    }

    [Fact]
    public async Task Outputs_to_a_completed_run_are_refused()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(3);
        var error = (await api.Submit(thread, run, ["call_abc"])).Error(HttpStatusCode.BadRequest);
        Assert.Equal("Runs in status \"completed\" do not accept tool outputs.", error.Message());
    }

    [Fact]
    public async Task Outputs_submitted_twice_are_refused_the_second_time()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        (await api.Submit(thread, run, waiting.CallIds())).Ok();
        var error = (await api.Submit(thread, run, waiting.CallIds())).Error(HttpStatusCode.BadRequest);
        Assert.Equal("Runs in status \"queued\" do not accept tool outputs.", error.Message());
    }

    [Fact]
    public async Task Outputs_to_a_cancelling_run_are_refused()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        (await api.Cancel(thread, run)).Ok();
        var error = (await api.Submit(thread, run, waiting.CallIds())).Error(HttpStatusCode.BadRequest);
        Assert.Equal("Runs in status \"cancelling\" do not accept tool outputs.", error.Message());
    }

    [Fact]
    public async Task A_submission_without_tool_outputs_is_a_missing_parameter()
    {
        var (thread, run, _) = await api.RunRequiringAction();
        var error = (await api.Post($"/v1/threads/{thread}/runs/{run}/submit_tool_outputs", new { })).Error(HttpStatusCode.BadRequest);
        Assert.Equal("tool_outputs", error.Str("param"));
        Assert.Equal("missing_required_parameter", error.Str("code"));
    }

    [Fact]
    public async Task An_output_without_a_call_id_is_a_missing_parameter()
    {
        var (thread, run, _) = await api.RunRequiringAction();
        var error = (await api.Post($"/v1/threads/{thread}/runs/{run}/submit_tool_outputs", new { tool_outputs = new[] { new { output = "x" } } }))
            .Error(HttpStatusCode.BadRequest);
        Assert.Equal("tool_outputs[0].tool_call_id", error.Str("param"));
    }

    [Fact]
    public async Task Without_parallel_tool_calls_a_round_asks_for_one_call()
    {
        var (_, thread, run) = await api.StartRun(RunsApi.ToolAssistant, new
        {
            parallel_tool_calls = false,
            metadata = new Dictionary<string, string> { ["mock_scenario"] = "tool_call" },
        });
        await api.Advance(2.5);
        Assert.Single((await api.GetRun(thread, run)).CallIds());
    }
}
