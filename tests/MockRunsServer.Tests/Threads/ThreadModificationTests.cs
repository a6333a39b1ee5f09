using System.Net;
using MockRunsServer.Tests.Infrastructure;
using static MockRunsServer.Tests.Infrastructure.WireAssertions;

namespace MockRunsServer.Tests.Threads;

/// <summary>POST /v1/threads/{id}: metadata and tool_resources, each replaced only when sent.</summary>
public sealed class ThreadModificationTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private async Task<ApiResponse> CreateThread() => (await api.Post("/v1/threads", """
        {"metadata":{"a":"1","b":"2"},"tool_resources":{"code_interpreter":{"file_ids":["file-1"]}}}
        """)).Ok();

    [Fact]
    public async Task Metadata_given_replaces_the_map_and_keeps_tool_resources()
    {
        var before = (await CreateThread()).Json;

        var after = (await api.Post($"/v1/threads/{before.Str("id")}", """{"metadata":{"c":"3"}}""")).Ok().Json;

        AssertJson("""{"c":"3"}""", after.GetProperty("metadata"));
        AssertJson(before.GetProperty("tool_resources").GetRawText(), after.GetProperty("tool_resources"));
        Assert.Equal(before.Long("created_at"), after.Long("created_at"));
    }

    [Fact]
    public async Task Tool_resources_given_replace_them_and_keep_metadata()
    {
        var before = (await CreateThread()).Json;

        var after = (await api.Post($"/v1/threads/{before.Str("id")}", """{"tool_resources":{"file_search":{"vector_store_ids":["vs_1"]}}}""")).Ok().Json;

        AssertJson("""{"file_search":{"vector_store_ids":["vs_1"]}}""", after.GetProperty("tool_resources"));
        AssertJson("""{"a":"1","b":"2"}""", after.GetProperty("metadata"));
    }

    [Fact]
    public async Task An_empty_modification_changes_nothing()
    {
        var before = await CreateThread();

        var after = (await api.Post($"/v1/threads/{before.Id}", "{}")).Ok();

        Assert.Equal(before.Text, after.Text);
    }

    [Fact]
    public async Task Empty_metadata_clears_the_map()
    {
        var before = await CreateThread();

        var after = (await api.Post($"/v1/threads/{before.Id}", """{"metadata":{}}""")).Ok().Json;

        AssertJson("{}", after.GetProperty("metadata"));
    }

    [Fact]
    public async Task A_modification_is_what_later_retrievals_see()
    {
        var before = await CreateThread();
        var modified = (await api.Post($"/v1/threads/{before.Id}", """{"metadata":{"x":"y"}}""")).Ok();

        var fetched = (await api.Get($"/v1/threads/{before.Id}")).Ok();

        Assert.Equal(modified.Text, fetched.Text);
    }

    [Fact]
    public async Task Modifying_a_thread_keeps_its_messages()
    {
        var id = await api.CreateThread();

        (await api.Post($"/v1/threads/{id}", """{"metadata":{"x":"y"}}""")).Ok();

        Assert.Single((await api.Get($"/v1/threads/{id}/messages")).Ok().Json.Ids());
    }

    [Fact]
    public async Task Retrieving_or_modifying_an_unknown_thread_is_a_404_naming_it()
    {
        const string id = "thread_doesnotexist000000000";

        var get = (await api.Get($"/v1/threads/{id}")).Error(HttpStatusCode.NotFound);
        var modify = (await api.Post($"/v1/threads/{id}", """{"metadata":{}}""")).Error(HttpStatusCode.NotFound);

        Assert.Equal($"No thread found with id '{id}'.", get.Str("message"));
        Assert.Equal($"No thread found with id '{id}'.", modify.Str("message"));
    }
}
