using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>A thread has at most one active run; while it has one, no run and no message can be added (spec/runs.md §4.1, §7.2).</summary>
public sealed class OneActiveRunPerThreadTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    /// <summary>A tool run on a fresh thread, brought to <paramref name="status"/>.</summary>
    private async Task<(string Assistant, string Thread, string Run)> ActiveRun(string status)
    {
        var (assistant, thread, run) = await api.StartToolRun();
        switch (status)
        {
            case "in_progress":
                await api.Advance(1);
                break;
            case "requires_action":
                await api.Advance(2.5);
                break;
            case "cancelling":
                (await api.Cancel(thread, run)).Ok();
                break;
        }
        Assert.Equal(status, (await api.GetRun(thread, run)).Status());
        return (assistant, thread, run);
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("in_progress")]
    [InlineData("requires_action")]
    [InlineData("cancelling")]
    public async Task A_second_run_on_a_busy_thread_is_refused(string status)
    {
        var (assistant, thread, run) = await ActiveRun(status);

        var error = (await api.CreateRun(thread, new { assistant_id = assistant })).Error(HttpStatusCode.BadRequest);

        Assert.Equal($"Thread {thread} already has an active run {run}.", error.Message());
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.True(error.IsNull("param"));
        Assert.True(error.IsNull("code"));
        Assert.Single((await api.Get($"/v1/threads/{thread}/runs")).Ok().Json.GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("in_progress")]
    [InlineData("requires_action")]
    [InlineData("cancelling")]
    public async Task A_message_on_a_busy_thread_is_refused(string status)
    {
        var (_, thread, run) = await ActiveRun(status);
        var countBefore = (await api.Messages(thread)).Count;

        var error = (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "Are you there?" })).Error(HttpStatusCode.BadRequest);

        Assert.Equal($"Can't add messages to {thread} while a run {run} is active.", error.Message());
        Assert.True(error.IsNull("param"));
        Assert.True(error.IsNull("code"));
        Assert.Equal(countBefore, (await api.Messages(thread)).Count);
    }

    [Fact]
    public async Task A_run_with_additional_messages_on_a_busy_thread_is_refused_and_adds_nothing()
    {
        var (assistant, thread, run) = await ActiveRun("queued");

        var error = (await api.CreateRun(thread, new
        {
            assistant_id = assistant,
            additional_messages = new[] { new { role = "user", content = "Extra" } },
        })).Error(HttpStatusCode.BadRequest);

        Assert.Equal($"Can't add messages to {thread} while a run {run} is active.", error.Message());
        Assert.Single(await api.Messages(thread));
        Assert.Single((await api.Get($"/v1/threads/{thread}/runs")).Ok().Json.GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("complete")]
    [InlineData("fail")]
    [InlineData("incomplete")]
    public async Task An_ended_run_frees_its_thread_for_messages_and_runs(string scenario)
    {
        var (assistant, thread, _) = await api.StartRun(null, RunsApi.Scenario(scenario));
        await api.Advance(3);

        (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "Again" })).Ok();
        var second = (await api.CreateRun(thread, new { assistant_id = assistant, additional_messages = new[] { new { role = "user", content = "More" } } })).Ok().Json;

        Assert.Equal("queued", second.Status());
        Assert.Equal(2, (await api.Get($"/v1/threads/{thread}/runs")).Ok().Json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_busy_thread_does_not_hold_up_runs_on_other_threads()
    {
        var (assistant, _, _) = await ActiveRun("queued");
        var other = await api.CreateThread();
        Assert.Equal("queued", (await api.CreateRun(other, new { assistant_id = assistant })).Ok().Json.Status());
    }

    [Fact]
    public async Task Messages_can_still_be_read_and_modified_while_a_run_is_active()
    {
        var (_, thread, _) = await ActiveRun("in_progress");
        var message = (await api.Messages(thread, "?order=asc"))[0].Str("id");

        var modified = (await api.Post($"/v1/threads/{thread}/messages/{message}", new { metadata = new { seen = "yes" } })).Ok().Json;

        Assert.Equal("yes", modified.GetProperty("metadata").Str("seen"));
    }

    [Fact]
    public async Task Of_concurrent_creates_on_one_thread_exactly_one_is_accepted()
    {
        var assistant = await api.CreateAssistant();
        for (var i = 0; i < 10; i++)
        {
            var thread = await api.CreateThread();
            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.CreateRun(thread, new { assistant_id = assistant })));

            var accepted = Assert.Single(answers, answer => answer.Status == HttpStatusCode.OK);
            Assert.All(answers.Where(answer => answer != accepted), answer =>
                Assert.Equal($"Thread {thread} already has an active run {accepted.Id}.", answer.Error(HttpStatusCode.BadRequest).Message()));
            Assert.Single(await api.MockRuns($"?thread_id={thread}"));
        }
    }

    [Fact]
    public async Task A_message_racing_a_new_run_lands_before_it_or_is_refused()
    {
        var assistant = await api.CreateAssistant();
        for (var i = 0; i < 10; i++)
        {
            var thread = await api.CreateThread();
            var create = api.CreateRun(thread, new { assistant_id = assistant });
            var message = api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "Racing" });
            var run = (await create).Ok().Json;
            var added = await message;

            if (added.Status == HttpStatusCode.OK)
            {
                Assert.True(added.Json.Long("created_at") <= run.Long("created_at"));
                Assert.Equal(2, (await api.Messages(thread)).Count);
            }
            else
            {
                Assert.Equal($"Can't add messages to {thread} while a run {run.Str("id")} is active.", added.Error(HttpStatusCode.BadRequest).Message());
                Assert.Single(await api.Messages(thread));
            }
        }
    }
}
