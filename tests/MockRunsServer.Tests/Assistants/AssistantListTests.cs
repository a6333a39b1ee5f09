using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Assistants;

/// <summary>GET /v1/assistants: limit, order, after, before and the list envelope (spec/runs.md §1 "Lists").
/// Every test starts from an empty server.</summary>
public sealed class AssistantListTests(MockServerFactory factory) : IClassFixture<MockServerFactory>, IAsyncLifetime
{
    private readonly ApiClient api = factory.Api();

    public async Task InitializeAsync() => (await api.Post("/_mock/reset")).Ok();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Creates <paramref name="count"/> assistants and returns their ids in creation order.</summary>
    private async Task<string[]> Create(int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await api.CreateAssistant(new { model = "gpt-4o", name = $"a{i}" });
        }
        return ids;
    }

    private async Task<System.Text.Json.JsonElement> List(string query = "") => (await api.Get($"/v1/assistants{query}")).Ok().Json;

    [Fact]
    public async Task An_empty_list_has_null_first_and_last_ids_and_no_more()
    {
        var list = await List();

        WireAssertions.AssertJson("""{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}""", list);
        Assert.Equal(["object", "data", "first_id", "last_id", "has_more"], list.Keys());
    }

    [Fact]
    public async Task By_default_the_newest_twenty_come_first()
    {
        var ids = await Create(21);

        var list = await List();

        Assert.Equal(Enumerable.Reverse(ids).Take(20), list.Ids());
        Assert.True(list.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids[20], list.Str("first_id"));
        Assert.Equal(ids[1], list.Str("last_id"));
    }

    [Fact]
    public async Task Ascending_order_with_a_limit_gives_the_oldest_first()
    {
        var ids = await Create(3);

        var list = await List("?limit=2&order=asc");

        Assert.Equal(ids[..2], list.Ids());
        Assert.Equal(ids[0], list.Str("first_id"));
        Assert.Equal(ids[1], list.Str("last_id"));
        Assert.True(list.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task A_limit_equal_to_the_count_has_no_more()
    {
        var ids = await Create(3);

        var list = await List("?limit=3");

        Assert.Equal(Enumerable.Reverse(ids), list.Ids());
        Assert.False(list.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task After_pages_forward_in_descending_order_until_has_more_is_false()
    {
        var ids = await Create(5);

        var first = await List("?limit=2&order=desc");
        var second = await List($"?limit=2&order=desc&after={first.Str("last_id")}");
        var third = await List($"?limit=2&order=desc&after={second.Str("last_id")}");

        Assert.Equal([ids[4], ids[3]], first.Ids());
        Assert.Equal([ids[2], ids[1]], second.Ids());
        Assert.Equal([ids[0]], third.Ids());
        Assert.True(second.GetProperty("has_more").GetBoolean());
        Assert.False(third.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task After_pages_forward_in_ascending_order()
    {
        var ids = await Create(4);

        var page = await List($"?limit=2&order=asc&after={ids[0]}");

        Assert.Equal([ids[1], ids[2]], page.Ids());
        Assert.True(page.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task After_the_last_item_the_page_is_empty()
    {
        var ids = await Create(2);

        var page = await List($"?order=asc&after={ids[1]}");

        WireAssertions.AssertJson("""{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}""", page);
    }

    [Fact]
    public async Task Before_gives_the_page_just_before_the_cursor_in_descending_order()
    {
        var ids = await Create(6);

        // Newest first: 5 4 | 3 2 | 1 0. From the third page, before its first item is the second page.
        var page = await List($"?limit=2&order=desc&before={ids[1]}");

        Assert.Equal([ids[3], ids[2]], page.Ids());
        Assert.True(page.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Before_gives_the_page_just_before_the_cursor_in_ascending_order()
    {
        var ids = await Create(5);

        var page = await List($"?limit=2&order=asc&before={ids[3]}");

        Assert.Equal([ids[1], ids[2]], page.Ids());
        Assert.True(page.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Before_near_the_start_has_no_more()
    {
        var ids = await Create(4);

        var page = await List($"?limit=2&order=asc&before={ids[2]}");

        Assert.Equal([ids[0], ids[1]], page.Ids());
        Assert.False(page.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task After_and_before_together_give_the_items_between_them()
    {
        var ids = await Create(5);

        var page = await List($"?order=asc&after={ids[0]}&before={ids[4]}");

        Assert.Equal(ids[1..4], page.Ids());
        Assert.False(page.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Paging_as_the_sdks_do_visits_every_assistant_once()
    {
        var ids = await Create(7);
        var seen = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await List(after is null ? "?limit=3" : $"?limit=3&after={after}");
            seen.AddRange(page.Ids());
            if (!page.GetProperty("has_more").GetBoolean())
            {
                break;
            }
            after = page.Str("last_id");
        }

        Assert.Equal(Enumerable.Reverse(ids), seen);
    }

    [Fact]
    public async Task Deleting_each_page_while_paging_as_the_sdks_do_deletes_every_assistant()
    {
        var ids = await Create(7);
        var deleted = new List<string>();
        string? after = null;
        while (true)
        {
            // The next page is asked for after the last id of this one, which is deleted by then.
            var page = await List(after is null ? "?limit=3" : $"?limit=3&after={after}");
            foreach (var id in page.Ids())
            {
                (await api.Delete($"/v1/assistants/{id}")).Ok();
                deleted.Add(id);
            }
            if (!page.GetProperty("has_more").GetBoolean())
            {
                break;
            }
            after = page.Str("last_id");
        }

        Assert.Equal(Enumerable.Reverse(ids), deleted);
        Assert.Empty((await List()).Ids());
    }

    [Theory]
    [InlineData("asc")]
    [InlineData("desc")]
    public async Task A_deleted_cursor_pages_from_where_its_assistant_was(string order)
    {
        var ids = await Create(5);
        (await api.Delete($"/v1/assistants/{ids[2]}")).Ok();

        var after = await List($"?order={order}&after={ids[2]}");
        var before = await List($"?order={order}&before={ids[2]}");
        var between = await List($"?order={order}&after={ids[2]}&before={(order == "asc" ? ids[4] : ids[0])}");

        string[] older = [ids[0], ids[1]], newer = [ids[3], ids[4]];
        Assert.Equal(order == "asc" ? newer : older.Reverse(), after.Ids());
        Assert.Equal(order == "asc" ? older : newer.Reverse(), before.Ids());
        Assert.Equal(order == "asc" ? [ids[3]] : [ids[1]], between.Ids());
        Assert.False(after.GetProperty("has_more").GetBoolean());
        Assert.False(before.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task A_cursor_no_assistant_ever_had_is_a_400()
    {
        await Create(2);

        var error = (await api.Get("/v1/assistants?after=asst_doesnotexist000000000")).Error(System.Net.HttpStatusCode.BadRequest);

        Assert.Equal("Invalid 'after': no object found with id 'asst_doesnotexist000000000'.", error.Str("message"));
        Assert.Equal("after", error.Str("param"));
    }
}
