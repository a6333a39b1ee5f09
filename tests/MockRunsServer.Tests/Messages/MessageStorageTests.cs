using Microsoft.Extensions.DependencyInjection;
using MockRunsServer.Store;
using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Tests.Streaming;

namespace MockRunsServer.Tests.Messages;

/// <summary>
/// Messages are kept in the store's message table, as slots, not as objects; a message of one text
/// (a run's reply, a user's text) keeps that text in the store's text arena and makes its content
/// parts only when written out. The API shows them as before, and a slot is given back only when
/// nothing can write into it any more.
/// </summary>
public sealed class MessageStorageTests
{
    [Fact]
    public async Task A_user_s_text_and_a_run_s_reply_keep_their_text_outside_content_parts_and_read_as_given()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var thread = (await api.Post("/v1/threads", new { messages = new[] { new { role = "user", content = "Hello 🙂 there" } } })).Ok().Id;
        var assistant = await api.CreateAssistant();
        var run = (await api.CreateRun(thread, new { assistant_id = assistant })).Ok().Id;
        await api.Advance(60);

        var listed = (await api.Get($"/v1/threads/{thread}/messages?order=asc")).Ok().Json.GetProperty("data");
        var kept = server.Services.GetRequiredService<MockStore>().GetThread(thread).Messages;

        Assert.Equal("Hello 🙂 there", await api.MessageText(thread, listed[0].Str("id")));
        Assert.NotEmpty(await api.MessageText(thread, listed[1].Str("id")));
        Assert.Equal(run, listed[1].Str("run_id"));
        Assert.Equal(2, kept.Count);
        Assert.All(kept.Items, message => Assert.NotNull(message.Value.WrittenLength));
    }

    [Fact]
    public async Task Texts_sent_by_many_requests_at_once_each_read_back_as_their_own()
    {
        using var server = new MockServerFactory();
        var api = server.Api();

        var sent = await Task.WhenAll(Enumerable.Range(0, 32).Select(async i =>
        {
            var text = $"text {i} " + new string((char)('a' + i % 26), i * 37);
            var thread = (await api.Post("/v1/threads", new { messages = new[] { new { role = "user", content = text } } })).Ok().Id;
            return (Thread: thread, Text: text);
        }));

        foreach (var (thread, text) in sent)
        {
            var message = (await api.Get($"/v1/threads/{thread}/messages")).Ok().Json.Ids().Single();
            Assert.Equal(text, await api.MessageText(thread, message));
        }
    }

    [Fact]
    public async Task A_user_s_message_of_other_parts_keeps_them_as_given()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var thread = (await api.Post("/v1/threads", new { })).Ok().Id;
        var content = new object[] { new { type = "text", text = "Look:" }, new { type = "image_url", image_url = new { url = "https://example.com/a.png" } } };
        var message = (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content })).Ok().Id;

        var kept = server.Services.GetRequiredService<MockStore>().GetThread(thread).Messages.Get(message).Value;

        Assert.Null(kept.WrittenLength);
        Assert.Equal(["text", "image_url"], kept.Content.Select(part => part.Type));
    }

    /// <summary>A run in progress whose reply, being written, a client deletes.</summary>
    private static async Task<(string Thread, string Run)> StartARunAndDeleteTheReplyItWrites(ApiClient api)
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(1);
        var writing = (await api.Get($"/v1/threads/{thread}/messages?run_id={run}")).Ok().Json.Ids().Single();
        (await api.Delete($"/v1/threads/{thread}/messages/{writing}")).Ok();
        return (thread, run);
    }

    [Fact]
    public async Task A_message_deleted_while_its_run_writes_it_is_kept_for_the_run_and_no_message_added_meanwhile_changes()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var messages = server.Services.GetRequiredService<MockStore>().Messages;
        var (thread, run) = await StartARunAndDeleteTheReplyItWrites(api);

        // Long texts: a run writing into one of these would show only its own reply's length of it.
        var added = new List<(string Thread, string Message, string Json)>();
        for (var i = 0; i < 3; i++)
        {
            var other = (await api.Post("/v1/threads", new { messages = new[] { new { role = "user", content = $"other {i} " + new string('x', 400) } } })).Ok().Id;
            var message = (await api.Get($"/v1/threads/{other}/messages")).Ok().Json.Ids().Single();
            added.Add((other, message, (await api.Get($"/v1/threads/{other}/messages/{message}")).Ok().Text));
        }
        await api.Advance(5);

        var done = await api.GetRun(thread, run);
        Assert.Equal("completed", done.Status());
        Assert.True(done.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        foreach (var (other, message, json) in added)
        {
            Assert.Equal(json, (await api.Get($"/v1/threads/{other}/messages/{message}")).Ok().Text);
        }
        // The thread's user message and the three added: the deleted one went back once its run ended.
        Assert.Equal(4, messages.Count);
    }

    [Fact]
    public async Task Deleting_threads_gives_back_every_message_they_kept_even_one_a_run_was_writing()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var messages = server.Services.GetRequiredService<MockStore>().Messages;
        var (_, finished, _) = await api.StartRun();
        await api.Advance(5);
        var (writing, _) = await StartARunAndDeleteTheReplyItWrites(api);
        // Two users' messages, the finished reply, and the deleted one its run still writes.
        Assert.Equal(4, messages.Count);

        (await api.Delete($"/v1/threads/{finished}")).Ok();
        (await api.Delete($"/v1/threads/{writing}")).Ok();

        Assert.Equal(0, messages.Count);
    }
}
