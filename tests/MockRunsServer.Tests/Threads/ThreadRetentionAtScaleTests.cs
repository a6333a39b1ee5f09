using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Threads;

public sealed class RetentionOfFortyServer() : MockServerFactory(new Dictionary<string, string?> { ["Mock:Retention:MaxThreads"] = "40" });

/// <summary>With a larger limit, retention drops a tenth of it at once, and exactly the least recently used.</summary>
public sealed class ThreadRetentionAtScaleTests(RetentionOfFortyServer factory) : IClassFixture<RetentionOfFortyServer>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task Crossing_the_limit_drops_the_four_least_recently_used_threads_and_keeps_the_rest()
    {
        (await api.Post("/_mock/reset")).Ok();
        var created = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            created.Add(await api.CreateThread());
        }
        // Use every thread again in a shuffled order: recency, not creation order, decides. The shuffle
        // is seeded, so a failure comes back on the next run, and the four used first are not the four made first.
        var shuffle = new Random(40);
        var used = created.OrderBy(_ => shuffle.Next()).ToList();
        Assert.NotEqual(created.Take(4).Order(), used.Take(4).Order());
        foreach (var thread in used)
        {
            (await api.Get($"/v1/threads/{thread}")).Ok();
        }

        var newest = await api.CreateThread();

        // 41 threads against a limit of 40: one over, plus a tenth of the limit less one, goes.
        foreach (var dropped in used.Take(4))
        {
            (await api.Get($"/v1/threads/{dropped}")).Error(HttpStatusCode.NotFound);
        }
        foreach (var kept in used.Skip(4).Append(newest))
        {
            (await api.Get($"/v1/threads/{kept}")).Ok();
        }
    }
}
