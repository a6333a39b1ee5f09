using System.Net;
using MockRunsServer.Tests.Infrastructure;
using static MockRunsServer.Tests.Infrastructure.WireAssertions;

namespace MockRunsServer.Tests.Messages;

/// <summary>DELETE /v1/threads/{id}/messages/{id}: the deletion object, then 404.</summary>
public sealed class MessageDeletionTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private async Task<(string Thread, string Message)> Message()
    {
        var thread = (await api.Post("/v1/threads", "{}")).Ok().Id;
        var message = (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "bye" })).Ok().Id;
        return (thread, message);
    }

    [Fact]
    public async Task Deleting_a_message_answers_the_thread_message_deleted_object()
    {
        var (thread, message) = await Message();

        var deleted = (await api.Delete($"/v1/threads/{thread}/messages/{message}")).Ok().Json;

        Assert.Equal(["id", "object", "deleted"], deleted.Keys());
        AssertJson($$"""{"id":"{{message}}","object":"thread.message.deleted","deleted":true}""", deleted);
    }

    [Fact]
    public async Task A_deleted_message_is_not_found_and_not_listed()
    {
        var (thread, message) = await Message();
        var kept = (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "stay" })).Ok().Id;

        (await api.Delete($"/v1/threads/{thread}/messages/{message}")).Ok();

        var error = (await api.Get($"/v1/threads/{thread}/messages/{message}")).Error(HttpStatusCode.NotFound);
        Assert.Equal($"No message found with id '{message}'.", error.Str("message"));
        Assert.Equal([kept], (await api.Get($"/v1/threads/{thread}/messages")).Ok().Json.Ids());
    }

    [Fact]
    public async Task Deleting_a_message_twice_is_a_404()
    {
        var (thread, message) = await Message();
        (await api.Delete($"/v1/threads/{thread}/messages/{message}")).Ok();

        (await api.Delete($"/v1/threads/{thread}/messages/{message}")).Error(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_message_keeps_its_thread()
    {
        var (thread, message) = await Message();

        (await api.Delete($"/v1/threads/{thread}/messages/{message}")).Ok();

        (await api.Get($"/v1/threads/{thread}")).Ok();
    }
}
