using Microsoft.Extensions.DependencyInjection;
using MockRunsServer.Store;
using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Tests.Streaming;

namespace MockRunsServer.Tests.Messages;

/// <summary>
/// A message of one text (a run's reply, a user's text) keeps that text in the store's text arena
/// and makes its content parts only when written out: the API shows it as before, and a kept
/// message is one object for the GC, not four.
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
        Assert.All(kept.Items, message => Assert.NotNull(message.WrittenLength));
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

        var kept = server.Services.GetRequiredService<MockStore>().GetThread(thread).Messages.Get(message)!;

        Assert.Null(kept.WrittenLength);
        Assert.Equal(["text", "image_url"], kept.Content.Select(part => part.Type));
    }
}
