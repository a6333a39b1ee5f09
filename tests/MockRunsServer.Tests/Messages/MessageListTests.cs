using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Messages;

/// <summary>GET /v1/threads/{id}/messages: paging both ways and the run_id filter.</summary>
public sealed class MessageListTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    /// <summary>A thread with <paramref name="count"/> user messages; their ids in creation order.</summary>
    private async Task<(string Thread, string[] Messages)> ThreadWith(int count)
    {
        var thread = (await api.Post("/v1/threads", "{}")).Ok().Id;
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = $"m{i}" })).Ok().Id;
        }
        return (thread, ids);
    }

    private async Task<System.Text.Json.JsonElement> List(string thread, string query = "") =>
        (await api.Get($"/v1/threads/{thread}/messages{query}")).Ok().Json;

    [Fact]
    public async Task An_empty_thread_lists_nothing_with_null_ids()
    {
        var (thread, _) = await ThreadWith(0);

        WireAssertions.AssertJson("""{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}""", await List(thread));
    }

    [Fact]
    public async Task Messages_are_listed_newest_first_by_default()
    {
        var (thread, ids) = await ThreadWith(3);

        var list = await List(thread);

        Assert.Equal([ids[2], ids[1], ids[0]], list.Ids());
        Assert.Equal(ids[2], list.Str("first_id"));
        Assert.Equal(ids[0], list.Str("last_id"));
        Assert.False(list.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task After_pages_forward_in_ascending_order()
    {
        var (thread, ids) = await ThreadWith(5);

        var first = await List(thread, "?order=asc&limit=2");
        var second = await List(thread, $"?order=asc&limit=2&after={first.Str("last_id")}");
        var third = await List(thread, $"?order=asc&limit=2&after={second.Str("last_id")}");

        Assert.Equal(ids[..2], first.Ids());
        Assert.Equal(ids[2..4], second.Ids());
        Assert.Equal(ids[4..], third.Ids());
        Assert.True(second.GetProperty("has_more").GetBoolean());
        Assert.False(third.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Before_pages_backward_to_the_previous_page()
    {
        var (thread, ids) = await ThreadWith(5);

        // Newest first: 4 3 | 2 1 | 0. Going back from the last page gives the middle one.
        var page = await List(thread, $"?limit=2&before={ids[0]}");

        Assert.Equal([ids[2], ids[1]], page.Ids());
        Assert.True(page.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Deleting_each_page_while_paging_forward_deletes_every_message()
    {
        var (thread, ids) = await ThreadWith(5);
        var deleted = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await List(thread, after is null ? "?order=asc&limit=2" : $"?order=asc&limit=2&after={after}");
            foreach (var id in page.Ids())
            {
                (await api.Delete($"/v1/threads/{thread}/messages/{id}")).Ok();
                deleted.Add(id);
            }
            if (!page.GetProperty("has_more").GetBoolean())
            {
                break;
            }
            after = page.Str("last_id");
        }

        Assert.Equal(ids, deleted);
        Assert.Empty((await List(thread)).Ids());
    }

    [Fact]
    public async Task The_run_id_filter_keeps_only_the_messages_that_run_wrote()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(2.5);
        var later = (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "thanks" })).Ok().Id;

        var all = await List(thread);
        var filtered = await List(thread, $"?run_id={run}");

        Assert.Equal(3, all.Ids().Length);
        var written = Assert.Single(filtered.GetProperty("data").EnumerateArray());
        Assert.Equal(run, written.Str("run_id"));
        Assert.Equal("assistant", written.Str("role"));
        Assert.DoesNotContain(later, filtered.Ids());
        Assert.False(filtered.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task The_run_id_filter_pages_over_matching_messages_only()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(2.5);
        (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "one more" })).Ok();

        var page = await List(thread, $"?run_id={run}&limit=1");

        Assert.Single(page.Ids());
        Assert.False(page.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task A_run_id_no_message_has_gives_an_empty_page()
    {
        var (thread, _) = await ThreadWith(2);

        var page = await List(thread, "?run_id=run_nomessageshavethisidxx");

        WireAssertions.AssertJson("""{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}""", page);
    }
}
