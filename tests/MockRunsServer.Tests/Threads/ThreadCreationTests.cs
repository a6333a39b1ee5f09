using MockRunsServer.Tests.Infrastructure;
using static MockRunsServer.Tests.Infrastructure.WireAssertions;

namespace MockRunsServer.Tests.Threads;

/// <summary>POST /v1/threads: the body is optional; initial messages are added in order (spec/runs.md §2.2, §3.2).</summary>
public sealed class ThreadCreationTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task An_empty_body_creates_an_empty_thread_field_for_field()
    {
        var now = (await api.Get("/_mock/clock")).Ok().Json.Long("now");

        var thread = (await api.Post("/v1/threads", "{}")).Ok().Json;

        Assert.Equal(["id", "object", "created_at", "metadata", "tool_resources"], thread.Keys());
        AssertId("thread", thread.Str("id"));
        Assert.Equal("thread", thread.Str("object"));
        Assert.Equal(now, thread.Long("created_at"));
        AssertJson("{}", thread.GetProperty("metadata"));
        AssertJson("{}", thread.GetProperty("tool_resources"));
    }

    [Fact]
    public async Task A_request_with_no_body_at_all_creates_a_thread()
    {
        var thread = (await api.Post("/v1/threads")).Ok().Json;

        AssertId("thread", thread.Str("id"));
        AssertJson("{}", thread.GetProperty("metadata"));
    }

    [Fact]
    public async Task A_new_thread_without_messages_has_none()
    {
        var id = (await api.Post("/v1/threads", "{}")).Ok().Id;

        var messages = (await api.Get($"/v1/threads/{id}/messages")).Ok().Json;

        Assert.Empty(messages.Ids());
    }

    [Fact]
    public async Task Metadata_and_tool_resources_come_back_as_given()
    {
        var thread = (await api.Post("/v1/threads", """
            {"metadata":{"user":"u-1"},"tool_resources":{"code_interpreter":{"file_ids":["file-a"]}}}
            """)).Ok().Json;

        AssertJson("""{"user":"u-1"}""", thread.GetProperty("metadata"));
        AssertJson("""{"code_interpreter":{"file_ids":["file-a"]}}""", thread.GetProperty("tool_resources"));
    }

    [Fact]
    public async Task Initial_messages_are_added_in_order_with_their_roles()
    {
        var id = (await api.Post("/v1/threads", """
            {"messages":[{"role":"user","content":"first"},{"role":"assistant","content":"second"},{"role":"user","content":"third"}]}
            """)).Ok().Id;

        var messages = (await api.Get($"/v1/threads/{id}/messages?order=asc")).Ok().Json.GetProperty("data").EnumerateArray().ToArray();

        Assert.Equal(["first", "second", "third"], messages.Select(m => m.GetProperty("content")[0].GetProperty("text").Str("value")));
        Assert.Equal(["user", "assistant", "user"], messages.Select(m => m.Str("role")));
        Assert.All(messages, m => Assert.Equal(id, m.Str("thread_id")));
    }

    [Fact]
    public async Task A_thread_takes_up_to_32_initial_messages_as_openai_does()
    {
        var messages = Enumerable.Range(1, 32).Select(i => new { role = "user", content = $"m{i}" }).ToArray();

        var id = (await api.Post("/v1/threads", new { messages })).Ok().Id;

        var listed = (await api.Get($"/v1/threads/{id}/messages?order=asc&limit=100")).Ok().Json.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(32, listed.Length);
        Assert.Equal("m32", listed[^1].GetProperty("content")[0].GetProperty("text").Str("value"));
    }

    [Fact]
    public async Task An_initial_assistant_message_has_no_assistant_or_run()
    {
        var id = (await api.Post("/v1/threads", """{"messages":[{"role":"assistant","content":"I said this"}]}""")).Ok().Id;

        var message = (await api.Get($"/v1/threads/{id}/messages")).Ok().Json.GetProperty("data")[0];

        Assert.Equal("assistant", message.Str("role"));
        Assert.True(message.IsNull("assistant_id"));
        Assert.True(message.IsNull("run_id"));
        Assert.Equal("completed", message.Str("status"));
    }

    [Fact]
    public async Task Initial_messages_keep_their_metadata_and_attachments()
    {
        var id = (await api.Post("/v1/threads", """
            {"messages":[{"role":"user","content":"see file","metadata":{"n":"1"},
              "attachments":[{"file_id":"file-x","tools":[{"type":"file_search"}]}]}]}
            """)).Ok().Id;

        var message = (await api.Get($"/v1/threads/{id}/messages")).Ok().Json.GetProperty("data")[0];

        AssertJson("""{"n":"1"}""", message.GetProperty("metadata"));
        AssertJson("""[{"file_id":"file-x","tools":[{"type":"file_search"}]}]""", message.GetProperty("attachments"));
    }

    [Fact]
    public async Task A_created_thread_can_be_retrieved_unchanged()
    {
        var created = (await api.Post("/v1/threads", """{"metadata":{"a":"b"}}""")).Ok();

        var fetched = (await api.Get($"/v1/threads/{created.Id}")).Ok();

        Assert.Equal(created.Text, fetched.Text);
    }

    [Fact]
    public async Task Thread_ids_are_unique()
    {
        var ids = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            Assert.True(ids.Add((await api.Post("/v1/threads", "{}")).Ok().Id));
        }
    }
}
