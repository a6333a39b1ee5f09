using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Threads;

public sealed class RetentionServer() : MockServerFactory(new Dictionary<string, string?> { ["Mock:Retention:MaxThreads"] = "3" });

/// <summary>Mock:Retention:MaxThreads keeps a long-lived server bounded by dropping the least recently used threads.</summary>
public sealed class ThreadRetentionTests(RetentionServer factory) : IClassFixture<RetentionServer>
{
    private readonly ApiClient api = factory.Api();

    private async Task Reset() => (await api.Post("/_mock/reset")).Ok();

    [Fact]
    public async Task Past_the_limit_the_least_recently_used_thread_is_dropped_with_its_messages()
    {
        await Reset();
        var first = await api.CreateThread();
        var second = await api.CreateThread();
        var third = await api.CreateThread();
        (await api.Get($"/v1/threads/{first}")).Ok();

        var fourth = await api.CreateThread();

        (await api.Get($"/v1/threads/{second}")).Error(HttpStatusCode.NotFound);
        (await api.Get($"/v1/threads/{second}/messages")).Error(HttpStatusCode.NotFound);
        foreach (var kept in new[] { first, third, fourth })
        {
            (await api.Get($"/v1/threads/{kept}")).Ok();
        }
    }

    [Fact]
    public async Task A_thread_with_an_active_run_is_never_dropped()
    {
        await Reset();
        var (_, busy, run) = await api.StartRun();
        for (var i = 0; i < 5; i++)
        {
            await api.CreateThread();
        }

        (await api.Get($"/v1/threads/{busy}/runs/{run}")).Ok();
    }

    [Fact]
    public async Task When_every_other_thread_is_busy_the_thread_just_created_is_kept()
    {
        await Reset();
        var assistant = await api.CreateAssistant();
        for (var i = 0; i < 3; i++)
        {
            (await api.Post("/v1/threads/runs", new { assistant_id = assistant })).Ok();
        }

        var created = await api.CreateThread();

        (await api.Get($"/v1/threads/{created}")).Ok();
    }

    [Fact]
    public async Task Create_thread_and_run_past_the_limit_never_loses_its_own_thread_to_a_concurrent_request()
    {
        await Reset();
        var assistant = await api.CreateAssistant();

        var answers = await Task.WhenAll(Enumerable.Range(0, 64)
            .Select(_ => Task.Run(() => api.Post("/v1/threads/runs", new { assistant_id = assistant }))));

        foreach (var answer in answers)
        {
            var run = answer.Ok().Json;
            (await api.Get($"/v1/threads/{run.GetProperty("thread_id").GetString()}/runs/{run.GetProperty("id").GetString()}")).Ok();
        }
    }

    [Fact]
    public async Task While_busy_threads_keep_the_store_over_the_limit_it_looks_again_only_a_tenth_of_the_limit_later()
    {
        await Reset();
        var assistant = await api.CreateAssistant();
        var busy = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            busy.Add((await api.Post("/v1/threads/runs", new { assistant_id = assistant })).Ok().Json.GetProperty("thread_id").GetString()!);
        }
        var fourth = await api.CreateThread();

        // The fourth add found nothing it could drop; the fifth is within the tenth (one thread) of slack.
        var fifth = await api.CreateThread();
        (await api.Get($"/v1/threads/{fourth}")).Ok();

        // Once the runs end, the next add past the slack drops the least recently used again.
        await api.Advance(60);
        (await api.Get($"/v1/threads/{fourth}")).Ok();
        (await api.Get($"/v1/threads/{fifth}")).Ok();
        var sixth = await api.CreateThread();

        foreach (var dropped in busy)
        {
            (await api.Get($"/v1/threads/{dropped}")).Error(HttpStatusCode.NotFound);
        }
        foreach (var kept in new[] { fourth, fifth, sixth })
        {
            (await api.Get($"/v1/threads/{kept}")).Ok();
        }
    }

    [Fact]
    public async Task Threads_deleted_while_busy_ones_kept_the_store_over_the_limit_do_not_lift_the_limit()
    {
        await Reset();
        var assistant = await api.CreateAssistant();
        var busy = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            busy.Add((await api.Post("/v1/threads/runs", new { assistant_id = assistant })).Ok().Json.GetProperty("thread_id").GetString()!);
        }
        foreach (var thread in busy)
        {
            (await api.Delete($"/v1/threads/{thread}")).Ok();
        }

        var created = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            created.Add(await api.CreateThread());
        }

        var kept = 0;
        foreach (var thread in created)
        {
            kept += (await api.Get($"/v1/threads/{thread}")).Status == HttpStatusCode.OK ? 1 : 0;
        }
        // The limit of 3, and at most a tenth of it (one add) of slack.
        Assert.InRange(kept, 3, 4);
    }
}
