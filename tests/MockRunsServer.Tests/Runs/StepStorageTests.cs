using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MockRunsServer.Store;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>
/// Steps live in the store's step table, not as objects: whatever takes a run away (deleting its
/// thread, retention, a reset) gives its steps' slots back, so a long-lived server stays bounded.
/// </summary>
public sealed class StepStorageTests
{
    private static StepTable Steps(MockServerFactory server) => server.Services.GetRequiredService<MockStore>().Steps;

    [Fact]
    public async Task The_table_holds_exactly_the_steps_the_api_lists()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var (_, thread, run) = await api.StartRun();
        var (_, otherThread, otherRun) = await api.StartRun();
        await api.Advance(60);

        var listed = (await api.Steps(thread, run)).Count + (await api.Steps(otherThread, otherRun)).Count;

        Assert.True(listed >= 2);
        Assert.Equal(listed, Steps(server).Count);
    }

    [Fact]
    public async Task Deleting_a_thread_gives_back_its_runs_steps()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var (_, thread, run) = await api.StartRun();
        var (_, keptThread, keptRun) = await api.StartRun();
        await api.Advance(60);

        (await api.Delete($"/v1/threads/{thread}")).Ok();

        Assert.Equal((await api.Steps(keptThread, keptRun)).Count, Steps(server).Count);
        (await api.Get($"/v1/threads/{thread}/runs/{run}/steps")).Error(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Retention_gives_back_the_steps_of_the_threads_it_drops()
    {
        using var server = new Threads.RetentionServer();
        var api = server.Api();
        var runs = new List<(string Thread, string Run)>();
        for (var i = 0; i < 8; i++)
        {
            var (_, thread, run) = await api.StartRun();
            await api.Advance(60);
            runs.Add((thread, run));
        }

        var kept = 0;
        foreach (var (thread, run) in runs)
        {
            var answer = await api.Get($"/v1/threads/{thread}/runs/{run}/steps");
            if (answer.Status == HttpStatusCode.OK)
            {
                kept += answer.Json.GetProperty("data").GetArrayLength();
            }
        }

        Assert.InRange(kept, 1, 3 * 4);
        Assert.Equal(kept, Steps(server).Count);
    }

    [Fact]
    public async Task A_reset_gives_back_every_step()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        await api.StartRun();
        await api.Advance(60);
        Assert.NotEqual(0, Steps(server).Count);

        (await api.Post("/_mock/reset")).Ok();

        Assert.Equal(0, Steps(server).Count);
    }
}
