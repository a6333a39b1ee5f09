using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Messages;

/// <summary>GET /v1/threads/{id}/messages/{id}, and the 404s of unknown threads and messages.</summary>
public sealed class MessageRetrievalTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task A_message_is_retrieved_as_it_was_created()
    {
        var thread = (await api.Post("/v1/threads", "{}")).Ok().Id;
        var created = (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "keep me", metadata = new { k = "v" } })).Ok();

        var fetched = (await api.Get($"/v1/threads/{thread}/messages/{created.Id}")).Ok();

        Assert.Equal(created.Text, fetched.Text);
    }

    [Fact]
    public async Task An_unknown_message_is_a_404_naming_it()
    {
        var thread = await api.CreateThread();

        var error = (await api.Get($"/v1/threads/{thread}/messages/msg_doesnotexist00000000000")).Error(HttpStatusCode.NotFound);

        Assert.Equal("No message found with id 'msg_doesnotexist00000000000'.", error.Str("message"));
        Assert.True(error.IsNull("param"));
    }

    [Fact]
    public async Task A_message_of_another_thread_is_not_found()
    {
        var first = await api.CreateThread();
        var second = await api.CreateThread();
        var message = (await api.Get($"/v1/threads/{first}/messages")).Ok().Json.Ids().Single();

        var error = (await api.Get($"/v1/threads/{second}/messages/{message}")).Error(HttpStatusCode.NotFound);

        Assert.Equal($"No message found with id '{message}'.", error.Str("message"));
    }

    [Fact]
    public async Task A_message_of_an_unknown_thread_is_a_thread_404()
    {
        var error = (await api.Get("/v1/threads/thread_doesnotexist000000000/messages/msg_doesnotexist00000000000")).Error(HttpStatusCode.NotFound);

        Assert.Equal("No thread found with id 'thread_doesnotexist000000000'.", error.Str("message"));
    }
}
