using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>List and retrieve run steps (spec/runs.md §2.5, §3.5).</summary>
public sealed class RunStepsTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    /// <summary>A run through one tool round to completion: a tool_calls step, then a message_creation step.</summary>
    private async Task<(string Thread, string Run)> TwoStepRun()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        (await api.Submit(thread, run, waiting.CallIds())).Ok();
        await api.Advance(2.5);
        return (thread, run);
    }

    [Fact]
    public async Task A_completed_step_keeps_the_runs_expires_at_while_the_run_goes_on_and_shows_null_once_it_has_ended()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        (await api.Submit(thread, run, waiting.CallIds())).Ok();

        var queued = await api.GetRun(thread, run);
        var toolStep = Assert.Single(await api.Steps(thread, run));
        Assert.Equal("completed", toolStep.Str("status"));
        Assert.Equal(queued.Long("expires_at"), toolStep.Long("expires_at"));

        await api.Advance(2.5);
        Assert.Equal("completed", (await api.GetRun(thread, run)).Status());
        var ended = await api.Steps(thread, run);
        Assert.Equal(2, ended.Count);
        Assert.All(ended, step => Assert.True(step.IsNull("expires_at")));
    }

    [Fact]
    public async Task A_steps_usage_carries_the_token_details_the_live_api_sends()
    {
        var (thread, run) = await TwoStepRun();
        Assert.All(await api.Steps(thread, run), step =>
        {
            var usage = step.GetProperty("usage");
            Assert.Equal(0, usage.GetProperty("prompt_token_details").GetProperty("cached_tokens").GetInt32());
            Assert.Equal(0, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        });
        var runUsage = (await api.GetRun(thread, run)).GetProperty("usage");
        Assert.Equal(0, runUsage.GetProperty("prompt_token_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(0, runUsage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Fact]
    public async Task A_new_run_has_no_steps()
    {
        var (_, thread, run) = await api.StartRun();
        var list = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps")).Ok().Json;
        Assert.Empty(list.GetProperty("data").EnumerateArray());
        Assert.True(list.IsNull("first_id"));
        Assert.True(list.IsNull("last_id"));
        Assert.False(list.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Steps_are_listed_newest_first_by_default()
    {
        var (thread, run) = await TwoStepRun();
        var steps = await api.Steps(thread, run);
        Assert.Equal(["message_creation", "tool_calls"], steps.Select(step => step.Str("type")));
    }

    [Fact]
    public async Task Steps_can_be_listed_oldest_first()
    {
        var (thread, run) = await TwoStepRun();
        var steps = await api.Steps(thread, run, "?order=asc");
        Assert.Equal(["tool_calls", "message_creation"], steps.Select(step => step.Str("type")));
    }

    [Fact]
    public async Task Steps_page_forward_with_after_and_back_with_before()
    {
        var (thread, run) = await TwoStepRun();

        var first = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps?limit=1")).Ok().Json;
        Assert.True(first.GetProperty("has_more").GetBoolean());
        var firstId = first.Str("last_id");
        Assert.Equal(firstId, first.Str("first_id"));

        var second = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps?limit=1&after={firstId}")).Ok().Json;
        Assert.False(second.GetProperty("has_more").GetBoolean());
        var secondId = Assert.Single(second.GetProperty("data").EnumerateArray()).Str("id");
        Assert.NotEqual(firstId, secondId);

        var back = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps?limit=1&before={secondId}")).Ok().Json;
        Assert.Equal(firstId, Assert.Single(back.GetProperty("data").EnumerateArray()).Str("id"));
    }

    [Fact]
    public async Task A_step_can_be_retrieved_by_id()
    {
        var (thread, run) = await TwoStepRun();
        var listed = (await api.Steps(thread, run))[0];

        var step = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps/{listed.Str("id")}")).Ok().Json;

        Assert.Equal(listed.GetRawText(), step.GetRawText());
        Assert.Equal("thread.run.step", step.Str("object"));
        Assert.Equal(run, step.Str("run_id"));
        Assert.Equal(thread, step.Str("thread_id"));
        Assert.Matches("^step_[A-Za-z0-9]{24}$", step.Str("id"));
    }

    [Fact]
    public async Task A_step_of_another_run_is_not_found_under_this_one()
    {
        var (thread, run) = await TwoStepRun();
        var (otherThread, otherRun) = await TwoStepRun();
        var foreign = (await api.Steps(otherThread, otherRun))[0].Str("id");

        var error = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps/{foreign}")).Error(HttpStatusCode.NotFound);

        Assert.Equal($"No run step found with id '{foreign}'.", error.Message());
    }

    [Fact]
    public async Task An_unknown_step_is_a_404()
    {
        var (thread, run) = await TwoStepRun();
        var error = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps/step_doesnotexist")).Error(HttpStatusCode.NotFound);
        Assert.Equal("No run step found with id 'step_doesnotexist'.", error.Message());
        Assert.True(error.IsNull("param"));
    }

    [Fact]
    public async Task The_steps_of_an_unknown_run_are_a_404()
    {
        var thread = await api.CreateThread();
        var error = (await api.Get($"/v1/threads/{thread}/runs/run_doesnotexist/steps")).Error(HttpStatusCode.NotFound);
        Assert.Equal("No run found with id 'run_doesnotexist'.", error.Message());
    }

    [Fact]
    public async Task A_step_list_limit_over_100_is_a_400()
    {
        var (thread, run) = await TwoStepRun();
        var error = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps?limit=101")).Error(HttpStatusCode.BadRequest);
        Assert.Equal("limit", error.Str("param"));
    }

    [Fact]
    public async Task A_message_creation_step_names_the_message_it_wrote()
    {
        var (thread, run) = await TwoStepRun();
        var step = (await api.Steps(thread, run))[0];
        var messageId = step.GetProperty("step_details").GetProperty("message_creation").Str("message_id");
        var message = (await api.Get($"/v1/threads/{thread}/messages/{messageId}")).Ok().Json;
        Assert.Equal(run, message.Str("run_id"));
    }

    [Fact]
    public async Task The_steps_include_query_is_accepted()
    {
        var (thread, run) = await TwoStepRun();
        var include = Uri.EscapeDataString("include[]") + "=" + Uri.EscapeDataString("step_details.tool_calls[*].file_search.results[*].content");
        Assert.Equal(2, (await api.Steps(thread, run, "?" + include)).Count);
    }
}
