using System.Net;
using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Tests.Runs;

namespace MockRunsServer.Tests.Control;

/// <summary>GET /_mock/runs: every run across threads, filtered by status, thread_id and assistant_id (contract §3).</summary>
public sealed class MockRunsListTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task All_runs_across_threads_are_listed_in_creation_order()
    {
        var (_, _, first) = await api.StartRun();
        var (_, _, second) = await api.StartRun();

        var ids = (await api.MockRuns()).Select(run => run.Str("id")).ToList();

        Assert.True(ids.IndexOf(first) >= 0 && ids.IndexOf(first) < ids.IndexOf(second), string.Join(", ", ids));
    }

    [Fact]
    public async Task The_list_counts_its_runs()
    {
        await api.StartRun();
        var body = (await api.Get("/_mock/runs")).Ok().Json;
        Assert.Equal("list", body.Str("object"));
        Assert.Equal(body.GetProperty("data").GetArrayLength(), body.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Hundreds_of_runs_are_all_written_in_creation_order_and_counted()
    {
        using var server = new MockServerFactory();
        var client = server.Api();
        var assistant = await client.CreateAssistant();
        var created = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            created.Add((await client.Post("/v1/threads/runs", new { assistant_id = assistant })).Ok().Id);
        }

        var body = (await client.Get("/_mock/runs")).Ok().Json;

        Assert.Equal(created, body.GetProperty("data").EnumerateArray().Select(run => run.Str("id")));
        Assert.Equal(600, body.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Runs_can_be_filtered_by_thread()
    {
        var (_, thread, run) = await api.StartRun();
        await api.StartRun();

        var runs = await api.MockRuns($"?thread_id={thread}");

        Assert.Equal(run, Assert.Single(runs).Str("id"));
    }

    [Fact]
    public async Task Runs_can_be_filtered_by_assistant()
    {
        var (assistant, thread, first) = await api.StartRun();
        await api.Advance(3);
        var second = (await api.CreateRun(thread, new { assistant_id = assistant })).Ok().Id;
        await api.StartRun();

        var runs = await api.MockRuns($"?assistant_id={assistant}");

        Assert.Equal([first, second], runs.Select(run => run.Str("id")));
    }

    [Fact]
    public async Task Runs_can_be_filtered_by_status()
    {
        var (_, _, queued) = await api.StartRun();
        var (_, thread, cancelling) = await api.StartRun();
        (await api.Cancel(thread, cancelling)).Ok();

        var queuedRuns = await api.MockRuns("?status=queued");
        var cancellingRuns = await api.MockRuns("?status=cancelling");

        Assert.All(queuedRuns, run => Assert.Equal("queued", run.Status()));
        Assert.Contains(queuedRuns, run => run.Str("id") == queued);
        Assert.DoesNotContain(queuedRuns, run => run.Str("id") == cancelling);
        Assert.Contains(cancellingRuns, run => run.Str("id") == cancelling);
    }

    [Fact]
    public async Task Several_filters_together_keep_only_the_runs_that_match_all_of_them()
    {
        var (assistant, thread, _) = await api.StartRun();
        Assert.Single(await api.MockRuns($"?thread_id={thread}&assistant_id={assistant}&status=queued"));
        Assert.Empty(await api.MockRuns($"?thread_id={thread}&status=completed"));
    }

    [Fact]
    public async Task An_unknown_status_filter_is_a_400_listing_the_statuses()
    {
        var error = (await api.Get("/_mock/runs?status=sleeping")).Error(HttpStatusCode.BadRequest);
        Assert.Equal("status", error.Str("param"));
        Assert.Contains("'requires_action'", error.Message());
    }

    [Fact]
    public async Task The_listed_run_is_the_run_the_api_answers()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(1);
        var listed = Assert.Single(await api.MockRuns($"?thread_id={thread}"));
        Assert.Equal((await api.Get($"/v1/threads/{thread}/runs/{run}")).Text, listed.GetRawText());
    }

    [Fact]
    public async Task Runs_of_a_deleted_thread_are_no_longer_listed()
    {
        var (_, thread, _) = await api.StartRun();
        (await api.Delete($"/v1/threads/{thread}")).Ok();
        Assert.Empty(await api.MockRuns($"?thread_id={thread}"));
    }
}
