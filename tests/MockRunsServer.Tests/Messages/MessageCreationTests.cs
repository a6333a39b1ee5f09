using System.Net;
using MockRunsServer.Tests.Infrastructure;
using static MockRunsServer.Tests.Infrastructure.WireAssertions;

namespace MockRunsServer.Tests.Messages;

/// <summary>POST /v1/threads/{id}/messages: string or content parts, and the message object as the spec has it (§2.3, §3.3).</summary>
public sealed class MessageCreationTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private async Task<string> EmptyThread() => (await api.Post("/v1/threads", "{}")).Ok().Id;

    [Fact]
    public async Task A_string_becomes_one_text_part_in_a_completed_user_message_field_for_field()
    {
        var thread = await EmptyThread();
        var now = (await api.Get("/_mock/clock")).Ok().Json.Long("now");

        var message = (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "How are you?" })).Ok().Json;

        Assert.Equal(
            ["id", "object", "created_at", "assistant_id", "thread_id", "run_id", "status", "incomplete_details", "incomplete_at",
             "completed_at", "role", "content", "attachments", "metadata"],
            message.Keys());
        AssertId("msg", message.Str("id"));
        Assert.Equal("thread.message", message.Str("object"));
        Assert.Equal(now, message.Long("created_at"));
        Assert.Equal(thread, message.Str("thread_id"));
        Assert.Equal("user", message.Str("role"));
        Assert.Equal("completed", message.Str("status"));
        Assert.Equal(message.Long("created_at"), message.Long("completed_at"));
        foreach (var field in new[] { "assistant_id", "run_id", "incomplete_details", "incomplete_at" })
        {
            Assert.True(message.IsNull(field), $"{field} should be null");
        }
        AssertJson("""[{"type":"text","text":{"value":"How are you?","annotations":[]}}]""", message.GetProperty("content"));
        AssertJson("[]", message.GetProperty("attachments"));
        AssertJson("{}", message.GetProperty("metadata"));
    }

    [Fact]
    public async Task Content_parts_are_stored_in_the_answer_form_with_image_detail_defaulting_to_auto()
    {
        var thread = await EmptyThread();

        var message = (await api.Post($"/v1/threads/{thread}/messages", """
            {"role":"user","content":[
              {"type":"text","text":"Look at these"},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}},
              {"type":"image_url","image_url":{"url":"https://example.com/dog.png","detail":"low"}},
              {"type":"image_file","image_file":{"file_id":"file-abc123","detail":"high"}}]}
            """)).Ok().Json;

        AssertJson("""
            [{"type":"text","text":{"value":"Look at these","annotations":[]}},
             {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"auto"}},
             {"type":"image_url","image_url":{"url":"https://example.com/dog.png","detail":"low"}},
             {"type":"image_file","image_file":{"file_id":"file-abc123","detail":"high"}}]
            """, message.GetProperty("content"));
    }

    [Fact]
    public async Task An_image_file_without_detail_is_stored_with_detail_auto()
    {
        var thread = await EmptyThread();

        var message = (await api.Post($"/v1/threads/{thread}/messages", """
            {"role":"user","content":[{"type":"image_file","image_file":{"file_id":"file-abc123"}}]}
            """)).Ok().Json;

        AssertJson("""[{"type":"image_file","image_file":{"file_id":"file-abc123","detail":"auto"}}]""", message.GetProperty("content"));
    }

    [Fact]
    public async Task Escaped_characters_and_surrogate_pairs_come_back_as_the_same_text()
    {
        var thread = await EmptyThread();

        var message = (await api.Post($"/v1/threads/{thread}/messages", """{"role":"user","content":"caf\u00e9 \ud83d\ude00 \"quoted\""}""")).Ok().Json;

        Assert.Equal("caf\u00e9 \U0001F600 \"quoted\"", message.GetProperty("content")[0].GetProperty("text").Str("value"));
    }

    [Fact]
    public async Task A_message_with_role_assistant_has_no_assistant_or_run()
    {
        var thread = await EmptyThread();

        var message = (await api.Post($"/v1/threads/{thread}/messages", new { role = "assistant", content = "Earlier answer" })).Ok().Json;

        Assert.Equal("assistant", message.Str("role"));
        Assert.True(message.IsNull("assistant_id"));
        Assert.True(message.IsNull("run_id"));
    }

    [Fact]
    public async Task Attachments_and_metadata_come_back_as_given()
    {
        var thread = await EmptyThread();

        var message = (await api.Post($"/v1/threads/{thread}/messages", """
            {"role":"user","content":"data attached","metadata":{"source":"upload"},
             "attachments":[{"file_id":"file-1","tools":[{"type":"code_interpreter"},{"type":"file_search"}]}]}
            """)).Ok().Json;

        AssertJson("""{"source":"upload"}""", message.GetProperty("metadata"));
        AssertJson("""[{"file_id":"file-1","tools":[{"type":"code_interpreter"},{"type":"file_search"}]}]""", message.GetProperty("attachments"));
    }

    private static object Attached(string tool) => new
    {
        role = "user",
        content = "see the file",
        attachments = new[] { new { file_id = "file-abc", tools = new[] { new { type = tool } } } },
    };

    private async Task<System.Text.Json.JsonElement> ToolResources(string thread) =>
        (await api.Get($"/v1/threads/{thread}")).Ok().Json.GetProperty("tool_resources");

    [Fact]
    public async Task A_file_attached_for_file_search_gives_the_thread_one_vector_store_that_later_files_share()
    {
        var thread = await EmptyThread();

        (await api.Post($"/v1/threads/{thread}/messages", Attached("file_search"))).Ok();
        var first = await ToolResources(thread);
        (await api.Post($"/v1/threads/{thread}/messages", Attached("file_search"))).Ok();
        var second = await ToolResources(thread);

        var store = Assert.Single(first.GetProperty("file_search").GetProperty("vector_store_ids").EnumerateArray()).GetString();
        AssertVectorStoreId(store);
        AssertJson(first.GetRawText(), second);
    }

    [Fact]
    public async Task A_thread_with_a_vector_store_keeps_it_when_a_file_is_attached_for_file_search()
    {
        var thread = (await api.Post("/v1/threads", """{"tool_resources":{"code_interpreter":{"file_ids":["file-1"]},"file_search":{"vector_store_ids":["vs_given"]}}}""")).Ok().Id;

        (await api.Post($"/v1/threads/{thread}/messages", Attached("file_search"))).Ok();

        AssertJson("""{"code_interpreter":{"file_ids":["file-1"]},"file_search":{"vector_store_ids":["vs_given"]}}""", await ToolResources(thread));
    }

    [Fact]
    public async Task A_file_attached_for_code_interpreter_only_leaves_the_thread_as_it_was()
    {
        var thread = await EmptyThread();

        (await api.Post($"/v1/threads/{thread}/messages", Attached("code_interpreter"))).Ok();

        AssertJson("{}", await ToolResources(thread));
    }

    [Fact]
    public async Task A_thread_created_with_a_file_attached_for_file_search_answers_with_its_vector_store()
    {
        var created = (await api.Post("/v1/threads", new { messages = new[] { Attached("file_search") } })).Ok().Json;

        AssertVectorStoreId(created.GetProperty("tool_resources").GetProperty("file_search").GetProperty("vector_store_ids")[0].GetString());
        AssertJson(created.GetProperty("tool_resources").GetRawText(), await ToolResources(created.Str("id")));
    }

    [Fact]
    public async Task A_file_attached_for_file_search_in_additional_messages_gives_the_thread_a_vector_store()
    {
        var thread = await EmptyThread();
        var assistant = await api.CreateAssistant();

        (await api.CreateRun(thread, new { assistant_id = assistant, additional_messages = new[] { Attached("file_search") } })).Ok();

        AssertVectorStoreId((await ToolResources(thread)).GetProperty("file_search").GetProperty("vector_store_ids")[0].GetString());
    }

    [Fact]
    public async Task A_created_message_is_listed_on_its_thread()
    {
        var thread = await EmptyThread();

        var id = (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "listed" })).Ok().Id;

        Assert.Equal([id], (await api.Get($"/v1/threads/{thread}/messages")).Ok().Json.Ids());
    }

    [Fact]
    public async Task A_message_cannot_be_added_while_a_run_is_active()
    {
        var (_, thread, run) = await api.StartRun();

        var error = (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "too soon" })).Error(HttpStatusCode.BadRequest);

        Assert.Equal($"Can't add messages to {thread} while a run {run} is active.", error.Str("message"));
        Assert.True(error.IsNull("param"));
        Assert.True(error.IsNull("code"));
    }

    [Fact]
    public async Task A_message_on_an_unknown_thread_is_a_404()
    {
        var error = (await api.Post("/v1/threads/thread_doesnotexist000000000/messages", new { role = "user", content = "hi" }))
            .Error(HttpStatusCode.NotFound);

        Assert.Equal("No thread found with id 'thread_doesnotexist000000000'.", error.Str("message"));
    }
}
