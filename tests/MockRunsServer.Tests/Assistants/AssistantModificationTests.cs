using System.Net;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;
using static MockRunsServer.Tests.Infrastructure.WireAssertions;

namespace MockRunsServer.Tests.Assistants;

/// <summary>POST /v1/assistants/{id}: only the fields sent change; tools and metadata given replace the old ones.</summary>
public sealed class AssistantModificationTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private const string Original = """
        {"model":"gpt-4o","name":"Original","description":"First version","instructions":"Be kind.","reasoning_effort":"high",
         "tools":[{"type":"code_interpreter"},{"type":"function","function":{"name":"one"}}],
         "tool_resources":{"code_interpreter":{"file_ids":["file-1"]}},"metadata":{"a":"1","b":"2"},
         "temperature":0.5,"top_p":0.5,"response_format":{"type":"text"}}
        """;

    private readonly ApiClient api = factory.Api();

    private async Task<JsonElement> CreateOriginal() => (await api.Post("/v1/assistants", Original)).Ok().Json;

    private async Task<JsonElement> Modify(string id, string body) => (await api.Post($"/v1/assistants/{id}", body)).Ok().Json;

    /// <summary>Every field of <paramref name="after"/> equals <paramref name="before"/>'s, except <paramref name="changed"/>.</summary>
    private static void AssertOnlyChanged(JsonElement before, JsonElement after, params string[] changed)
    {
        Assert.Equal(before.Keys(), after.Keys());
        foreach (var property in before.EnumerateObject().Where(p => !changed.Contains(p.Name)))
        {
            Assert.True(JsonElement.DeepEquals(property.Value, after.GetProperty(property.Name)),
                $"{property.Name} changed from {property.Value} to {after.GetProperty(property.Name)}");
        }
    }

    [Fact]
    public async Task Modifying_only_the_name_keeps_every_other_field()
    {
        var before = await CreateOriginal();

        var after = await Modify(before.Str("id"), """{"name":"Renamed"}""");

        Assert.Equal("Renamed", after.Str("name"));
        AssertOnlyChanged(before, after, "name");
    }

    [Fact]
    public async Task An_empty_modification_changes_nothing()
    {
        var before = await CreateOriginal();

        var after = await Modify(before.Str("id"), "{}");

        AssertOnlyChanged(before, after);
    }

    [Fact]
    public async Task Null_clears_a_nullable_field()
    {
        var before = await CreateOriginal();

        var after = await Modify(before.Str("id"), """{"description":null,"instructions":null,"reasoning_effort":null}""");

        Assert.True(after.IsNull("description"));
        Assert.True(after.IsNull("instructions"));
        Assert.True(after.IsNull("reasoning_effort"));
        AssertOnlyChanged(before, after, "description", "instructions", "reasoning_effort");
    }

    [Fact]
    public async Task Tools_given_replace_the_whole_list()
    {
        var before = await CreateOriginal();

        var after = await Modify(before.Str("id"), """{"tools":[{"type":"file_search"}]}""");

        AssertJson("""[{"type":"file_search","file_search":{"ranking_options":{"ranker":"default_2024_08_21","score_threshold":0.0,"hybrid_search":null}}}]""", after.GetProperty("tools"));
        AssertOnlyChanged(before, after, "tools");
    }

    [Fact]
    public async Task Adding_code_interpreter_to_an_assistant_without_files_for_it_shows_an_empty_file_list()
    {
        var id = (await api.Post("/v1/assistants", """{"model":"gpt-4o"}""")).Ok().Json.Str("id");

        var after = await Modify(id, """{"tools":[{"type":"code_interpreter"}]}""");

        AssertJson("""{"code_interpreter":{"file_ids":[]}}""", after.GetProperty("tool_resources"));
    }

    [Fact]
    public async Task An_empty_tools_list_removes_every_tool()
    {
        var before = await CreateOriginal();

        var after = await Modify(before.Str("id"), """{"tools":[]}""");

        AssertJson("[]", after.GetProperty("tools"));
    }

    [Fact]
    public async Task Metadata_given_replaces_the_map_instead_of_merging()
    {
        var before = await CreateOriginal();

        var after = await Modify(before.Str("id"), """{"metadata":{"c":"3"}}""");

        AssertJson("""{"c":"3"}""", after.GetProperty("metadata"));
        AssertOnlyChanged(before, after, "metadata");
    }

    [Fact]
    public async Task Model_sampling_and_response_format_can_change_while_id_and_created_at_stay()
    {
        var before = await CreateOriginal();

        var after = await Modify(before.Str("id"), """{"model":"gpt-4.1","temperature":1.5,"top_p":0.1,"response_format":"auto"}""");

        Assert.Equal("gpt-4.1", after.Str("model"));
        Assert.Equal(1.5, after.GetProperty("temperature").GetDouble());
        Assert.Equal(0.1, after.GetProperty("top_p").GetDouble());
        AssertJson("\"auto\"", after.GetProperty("response_format"));
        AssertOnlyChanged(before, after, "model", "temperature", "top_p", "response_format");
    }

    [Fact]
    public async Task A_modification_is_what_later_retrievals_see()
    {
        var before = await CreateOriginal();
        var modified = (await api.Post($"/v1/assistants/{before.Str("id")}", """{"name":"Kept","metadata":{}}""")).Ok();

        var fetched = (await api.Get($"/v1/assistants/{before.Str("id")}")).Ok();

        Assert.Equal(modified.Text, fetched.Text);
    }

    [Fact]
    public async Task Modifying_an_unknown_assistant_is_a_404_naming_it()
    {
        var error = (await api.Post("/v1/assistants/asst_doesnotexist0000000000", """{"name":"x"}""")).Error(HttpStatusCode.NotFound);

        Assert.Equal("No assistant found with id 'asst_doesnotexist0000000000'.", error.Str("message"));
        Assert.Equal("invalid_request_error", error.Str("type"));
    }
}
