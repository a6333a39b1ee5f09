using System.Net;
using MockRunsServer.Tests.Infrastructure;
using static MockRunsServer.Tests.Infrastructure.WireAssertions;

namespace MockRunsServer.Tests.Threads;

/// <summary>DELETE /v1/threads/{id}: the deletion object; the thread, its messages and its runs are gone.</summary>
public sealed class ThreadDeletionTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task Deleting_a_thread_answers_the_thread_deleted_object()
    {
        var id = await api.CreateThread();

        var deleted = (await api.Delete($"/v1/threads/{id}")).Ok().Json;

        Assert.Equal(["id", "object", "deleted"], deleted.Keys());
        AssertJson($$"""{"id":"{{id}}","object":"thread.deleted","deleted":true}""", deleted);
    }

    [Fact]
    public async Task A_deleted_thread_is_not_found()
    {
        var id = await api.CreateThread();
        (await api.Delete($"/v1/threads/{id}")).Ok();

        var error = (await api.Get($"/v1/threads/{id}")).Error(HttpStatusCode.NotFound);

        Assert.Equal($"No thread found with id '{id}'.", error.Str("message"));
        Assert.True(error.IsNull("param"));
        Assert.True(error.IsNull("code"));
    }

    [Fact]
    public async Task The_messages_of_a_deleted_thread_are_gone()
    {
        var id = await api.CreateThread();
        var message = (await api.Get($"/v1/threads/{id}/messages")).Ok().Json.Ids().Single();

        (await api.Delete($"/v1/threads/{id}")).Ok();

        (await api.Get($"/v1/threads/{id}/messages/{message}")).Error(HttpStatusCode.NotFound);
        (await api.Get($"/v1/threads/{id}/messages")).Error(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_runs_of_a_deleted_thread_are_gone_everywhere()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(2.5);

        (await api.Delete($"/v1/threads/{thread}")).Ok();

        (await api.Get($"/v1/threads/{thread}/runs/{run}")).Error(HttpStatusCode.NotFound);
        (await api.Get($"/v1/threads/{thread}/runs/{run}/steps")).Error(HttpStatusCode.NotFound);
        var all = (await api.Get($"/_mock/runs?thread_id={thread}")).Ok().Json;
        Assert.Empty(all.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Deleting_a_thread_with_an_active_run_stops_the_run()
    {
        var (_, thread, run) = await api.StartRun();

        (await api.Delete($"/v1/threads/{thread}")).Ok();
        await api.Advance(5);

        (await api.Get($"/v1/threads/{thread}/runs/{run}")).Error(HttpStatusCode.NotFound);
        Assert.DoesNotContain(run, (await api.Get("/_mock/runs")).Ok().Json.Ids());
    }

    [Fact]
    public async Task Deleting_a_thread_twice_is_a_404()
    {
        var id = await api.CreateThread();
        (await api.Delete($"/v1/threads/{id}")).Ok();

        var error = (await api.Delete($"/v1/threads/{id}")).Error(HttpStatusCode.NotFound);

        Assert.Equal($"No thread found with id '{id}'.", error.Str("message"));
    }

    [Fact]
    public async Task Messages_cannot_be_added_to_a_deleted_thread()
    {
        var id = await api.CreateThread();
        (await api.Delete($"/v1/threads/{id}")).Ok();

        (await api.Post($"/v1/threads/{id}/messages", new { role = "user", content = "late" })).Error(HttpStatusCode.NotFound);
    }
}
