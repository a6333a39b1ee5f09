using System.Net;
using MockRunsServer.Tests.Infrastructure;
using static MockRunsServer.Tests.Infrastructure.WireAssertions;

namespace MockRunsServer.Tests.Assistants;

/// <summary>DELETE /v1/assistants/{id}: the deletion object, then 404 everywhere.</summary>
public sealed class AssistantDeletionTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task Deleting_an_assistant_answers_the_assistant_deleted_object()
    {
        var id = await api.CreateAssistant();

        var deleted = (await api.Delete($"/v1/assistants/{id}")).Ok().Json;

        Assert.Equal(["id", "object", "deleted"], deleted.Keys());
        AssertJson($$"""{"id":"{{id}}","object":"assistant.deleted","deleted":true}""", deleted);
    }

    [Fact]
    public async Task A_deleted_assistant_is_not_found_with_the_live_wording()
    {
        var id = await api.CreateAssistant();
        (await api.Delete($"/v1/assistants/{id}")).Ok();

        var error = (await api.Get($"/v1/assistants/{id}")).Error(HttpStatusCode.NotFound);

        Assert.Equal($"No assistant found with id '{id}'.", error.Str("message"));
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.True(error.IsNull("param"));
        Assert.True(error.IsNull("code"));
    }

    [Fact]
    public async Task Deleting_an_assistant_twice_is_a_404()
    {
        var id = await api.CreateAssistant();
        (await api.Delete($"/v1/assistants/{id}")).Ok();

        var error = (await api.Delete($"/v1/assistants/{id}")).Error(HttpStatusCode.NotFound);

        Assert.Equal($"No assistant found with id '{id}'.", error.Str("message"));
    }

    [Fact]
    public async Task A_deleted_assistant_is_no_longer_listed()
    {
        var kept = await api.CreateAssistant();
        var gone = await api.CreateAssistant();

        (await api.Delete($"/v1/assistants/{gone}")).Ok();

        var ids = (await api.Get("/v1/assistants?limit=100")).Ok().Json.Ids();
        Assert.Contains(kept, ids);
        Assert.DoesNotContain(gone, ids);
    }

    [Fact]
    public async Task A_deleted_assistant_cannot_be_modified()
    {
        var id = await api.CreateAssistant();
        (await api.Delete($"/v1/assistants/{id}")).Ok();

        var error = (await api.Post($"/v1/assistants/{id}", new { name = "back" })).Error(HttpStatusCode.NotFound);

        Assert.Equal($"No assistant found with id '{id}'.", error.Str("message"));
    }

    [Fact]
    public async Task Runs_cannot_use_a_deleted_assistant()
    {
        var id = await api.CreateAssistant();
        var thread = await api.CreateThread();
        (await api.Delete($"/v1/assistants/{id}")).Ok();

        var error = (await api.CreateRun(thread, new { assistant_id = id })).Error(HttpStatusCode.NotFound);

        Assert.Equal($"No assistant found with id '{id}'.", error.Str("message"));
    }
}
