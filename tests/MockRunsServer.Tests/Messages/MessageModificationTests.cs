using System.Net;
using MockRunsServer.Tests.Infrastructure;
using static MockRunsServer.Tests.Infrastructure.WireAssertions;

namespace MockRunsServer.Tests.Messages;

/// <summary>POST /v1/threads/{id}/messages/{id}: metadata only, replaced when sent.</summary>
public sealed class MessageModificationTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private async Task<(string Thread, ApiResponse Message)> Message()
    {
        var thread = (await api.Post("/v1/threads", "{}")).Ok().Id;
        var message = (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "hello", metadata = new { a = "1", b = "2" } })).Ok();
        return (thread, message);
    }

    [Fact]
    public async Task Metadata_given_replaces_the_map_and_nothing_else_changes()
    {
        var (thread, before) = await Message();

        var after = (await api.Post($"/v1/threads/{thread}/messages/{before.Id}", """{"metadata":{"c":"3"}}""")).Ok().Json;

        AssertJson("""{"c":"3"}""", after.GetProperty("metadata"));
        foreach (var property in before.Json.EnumerateObject().Where(p => p.Name != "metadata"))
        {
            Assert.True(System.Text.Json.JsonElement.DeepEquals(property.Value, after.GetProperty(property.Name)), $"{property.Name} changed");
        }
    }

    [Fact]
    public async Task A_modification_is_what_later_retrievals_see()
    {
        var (thread, before) = await Message();
        var modified = (await api.Post($"/v1/threads/{thread}/messages/{before.Id}", """{"metadata":{"seen":"yes"}}""")).Ok();

        var fetched = (await api.Get($"/v1/threads/{thread}/messages/{before.Id}")).Ok();

        Assert.Equal(modified.Text, fetched.Text);
    }

    [Fact]
    public async Task An_empty_modification_changes_nothing()
    {
        var (thread, before) = await Message();

        var after = (await api.Post($"/v1/threads/{thread}/messages/{before.Id}", "{}")).Ok();

        Assert.Equal(before.Text, after.Text);
    }

    [Fact]
    public async Task Modifying_an_unknown_message_is_a_404()
    {
        var (thread, _) = await Message();

        var error = (await api.Post($"/v1/threads/{thread}/messages/msg_doesnotexist00000000000", """{"metadata":{}}""")).Error(HttpStatusCode.NotFound);

        Assert.Equal("No message found with id 'msg_doesnotexist00000000000'.", error.Str("message"));
    }
}
