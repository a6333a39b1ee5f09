using MockRunsServer.Tests.Infrastructure;
using static MockRunsServer.Tests.Infrastructure.WireAssertions;

namespace MockRunsServer.Tests.Assistants;

/// <summary>POST /v1/assistants: the live defaults and how given fields come back (spec/runs.md §2.1, §3.1).</summary>
public sealed class AssistantCreationTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task A_new_assistant_has_the_live_defaults_field_for_field_in_the_live_key_order()
    {
        var now = (await api.Get("/_mock/clock")).Ok().Json.Long("now");

        var assistant = (await api.Post("/v1/assistants", new { model = "gpt-4o" })).Ok().Json;

        Assert.Equal(
            ["id", "object", "created_at", "name", "description", "model", "instructions", "tools", "top_p", "temperature",
             "reasoning_effort", "tool_resources", "metadata", "response_format"],
            assistant.Keys());
        AssertId("asst", assistant.Str("id"));
        Assert.Equal("assistant", assistant.Str("object"));
        Assert.Equal(now, assistant.Long("created_at"));
        Assert.Equal("gpt-4o", assistant.Str("model"));
        foreach (var field in new[] { "name", "description", "instructions", "reasoning_effort" })
        {
            Assert.True(assistant.IsNull(field), $"{field} should be null");
        }
        AssertJson("[]", assistant.GetProperty("tools"));
        Assert.Equal(1.0, assistant.GetProperty("top_p").GetDouble());
        Assert.Equal(1.0, assistant.GetProperty("temperature").GetDouble());
        AssertJson("{}", assistant.GetProperty("tool_resources"));
        AssertJson("{}", assistant.GetProperty("metadata"));
        AssertJson("\"auto\"", assistant.GetProperty("response_format"));
    }

    [Fact]
    public async Task Every_field_given_comes_back_as_given()
    {
        var assistant = (await api.Post("/v1/assistants", """
            {"model":"gpt-4o-mini","name":"Math tutor","description":"Helps with sums","instructions":"Be brief.",
             "reasoning_effort":"low","tools":[{"type":"code_interpreter"}],
             "tool_resources":{"code_interpreter":{"file_ids":["file-abc"]}},"metadata":{"team":"blue","tier":"1"},
             "temperature":0.2,"top_p":0.9,"response_format":{"type":"json_object"}}
            """)).Ok().Json;

        Assert.Equal("gpt-4o-mini", assistant.Str("model"));
        Assert.Equal("Math tutor", assistant.Str("name"));
        Assert.Equal("Helps with sums", assistant.Str("description"));
        Assert.Equal("Be brief.", assistant.Str("instructions"));
        Assert.Equal("low", assistant.Str("reasoning_effort"));
        AssertJson("""[{"type":"code_interpreter"}]""", assistant.GetProperty("tools"));
        AssertJson("""{"code_interpreter":{"file_ids":["file-abc"]}}""", assistant.GetProperty("tool_resources"));
        AssertJson("""{"team":"blue","tier":"1"}""", assistant.GetProperty("metadata"));
        Assert.Equal(0.2, assistant.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, assistant.GetProperty("top_p").GetDouble());
        AssertJson("""{"type":"json_object"}""", assistant.GetProperty("response_format"));
    }

    [Fact]
    public async Task A_function_tool_without_parameters_or_strict_is_normalised_as_the_live_service_did()
    {
        var assistant = (await api.Post("/v1/assistants", """
            {"model":"gpt-4o","tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now"}}]}
            """)).Ok().Json;

        var function = assistant.GetProperty("tools")[0].GetProperty("function");
        Assert.Equal(["name", "description", "parameters", "strict"], function.Keys());
        AssertJson("""{"name":"get_weather","description":"Weather now","parameters":{"type":"object","properties":{}},"strict":false}""", function);
    }

    [Fact]
    public async Task A_function_tool_keeps_its_parameters_and_strict_flag()
    {
        const string parameters = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""";
        var assistant = (await api.Post("/v1/assistants",
            $$$"""{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"get_weather","parameters":{{{parameters}}},"strict":true}}]}""")).Ok().Json;

        var tool = assistant.GetProperty("tools")[0];
        Assert.Equal("function", tool.Str("type"));
        AssertJson(parameters, tool.GetProperty("function").GetProperty("parameters"));
        Assert.True(tool.GetProperty("function").GetProperty("strict").GetBoolean());
    }

    [Fact]
    public async Task Tools_of_every_kind_come_back_in_the_order_given()
    {
        var assistant = (await api.Post("/v1/assistants", """
            {"model":"gpt-4o","tools":[{"type":"file_search","file_search":{"max_num_results":5}},{"type":"code_interpreter"},
             {"type":"function","function":{"name":"lookup"}}]}
            """)).Ok().Json;

        var tools = assistant.GetProperty("tools");
        Assert.Equal(["file_search", "code_interpreter", "function"], tools.EnumerateArray().Select(t => t.Str("type")));
        AssertJson("""{"type":"file_search","file_search":{"max_num_results":5,"ranking_options":{"ranker":"default_2024_08_21","score_threshold":0.0,"hybrid_search":null}}}""", tools[0]);
    }

    [Fact]
    public async Task A_bare_file_search_tool_comes_back_with_the_default_ranking_options_as_the_live_api_echoes_it()
    {
        var assistant = (await api.Post("/v1/assistants", """{"model":"gpt-4o","tools":[{"type":"file_search"},{"type":"file_search","file_search":{}}]}""")).Ok().Json;

        Assert.Equal(2, assistant.GetProperty("tools").GetArrayLength());
        foreach (var tool in assistant.GetProperty("tools").EnumerateArray())
        {
            Assert.Equal("""{"type":"file_search","file_search":{"ranking_options":{"ranker":"default_2024_08_21","score_threshold":0.0,"hybrid_search":null}}}""", tool.GetRawText());
        }
    }

    [Fact]
    public async Task An_assistant_with_code_interpreter_and_no_files_for_it_shows_an_empty_file_list()
    {
        var bare = (await api.Post("/v1/assistants", """{"model":"gpt-4o","tools":[{"type":"code_interpreter"}]}""")).Ok().Json;
        AssertJson("""{"code_interpreter":{"file_ids":[]}}""", bare.GetProperty("tool_resources"));

        var withStore = (await api.Post("/v1/assistants", """{"model":"gpt-4o","tools":[{"type":"code_interpreter"},{"type":"file_search"}],"tool_resources":{"file_search":{"vector_store_ids":["vs_1"]}}}""")).Ok().Json;
        AssertJson("""{"file_search":{"vector_store_ids":["vs_1"]},"code_interpreter":{"file_ids":[]}}""", withStore.GetProperty("tool_resources"));

        var withoutTool = (await api.Post("/v1/assistants", """{"model":"gpt-4o","tools":[{"type":"file_search"}]}""")).Ok().Json;
        AssertJson("{}", withoutTool.GetProperty("tool_resources"));
    }

    [Fact]
    public async Task File_search_ranking_options_within_the_spec_come_back_as_given_with_the_default_ranker_and_a_null_hybrid_search()
    {
        var assistant = (await api.Post("/v1/assistants", """
            {"model":"gpt-4o","tools":[{"type":"file_search","file_search":{"ranking_options":{"ranker":"default_2024_08_21","score_threshold":0.25}}},
             {"type":"file_search","file_search":{"ranking_options":{"score_threshold":1}}}]}
            """)).Ok().Json;

        Assert.Equal("""{"ranking_options":{"ranker":"default_2024_08_21","score_threshold":0.25,"hybrid_search":null}}""", assistant.GetProperty("tools")[0].GetProperty("file_search").GetRawText());
        Assert.Equal("""{"ranking_options":{"ranker":"default_2024_08_21","score_threshold":1.0,"hybrid_search":null}}""", assistant.GetProperty("tools")[1].GetProperty("file_search").GetRawText());
    }

    [Fact]
    public async Task A_vector_store_made_with_static_chunking_is_answered_with_its_id()
    {
        var assistant = (await api.Post("/v1/assistants", """
            {"model":"gpt-4o","tool_resources":{"file_search":{"vector_stores":[{"file_ids":["file-1"],"metadata":{"k":"v"},
             "chunking_strategy":{"type":"static","static":{"max_chunk_size_tokens":4096,"chunk_overlap_tokens":2048}}}]}}}
            """)).Ok().Json;

        var ids = assistant.GetProperty("tool_resources").GetProperty("file_search").GetProperty("vector_store_ids");
        AssertVectorStoreId(Assert.Single(ids.EnumerateArray()).GetString()!);
    }

    [Fact]
    public async Task Vector_store_ids_given_as_null_beside_the_vector_stores_helper_count_as_absent()
    {
        var assistant = (await api.Post("/v1/assistants", """
            {"model":"gpt-4o","tool_resources":{"file_search":{"vector_store_ids":null,"vector_stores":[{"file_ids":["file-1"]}]}}}
            """)).Ok().Json;

        var ids = assistant.GetProperty("tool_resources").GetProperty("file_search").GetProperty("vector_store_ids");
        AssertVectorStoreId(Assert.Single(ids.EnumerateArray()).GetString()!);
    }

    [Fact]
    public async Task Length_limits_count_characters_so_256_emoji_make_a_valid_name()
    {
        var name = string.Concat(Enumerable.Repeat("😀", 256));
        var key = string.Concat(Enumerable.Repeat("🔑", 64));

        var assistant = (await api.Post("/v1/assistants", new Dictionary<string, object>
        {
            ["model"] = "gpt-4o",
            ["name"] = name,
            ["metadata"] = new Dictionary<string, string> { [key] = "v" },
        })).Ok().Json;

        Assert.Equal(name, assistant.Str("name"));
        Assert.Equal("v", assistant.GetProperty("metadata").Str(key));
    }

    [Fact]
    public async Task A_json_schema_response_format_comes_back_exactly()
    {
        const string format = """{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false},"strict":true}}""";

        var assistant = (await api.Post("/v1/assistants", $$"""{"model":"gpt-4o","response_format":{{format}}}""")).Ok().Json;

        AssertJson(format, assistant.GetProperty("response_format"));
    }

    [Fact]
    public async Task A_created_assistant_can_be_retrieved_unchanged()
    {
        var created = (await api.Post("/v1/assistants", new { model = "gpt-4o", name = "Keeper", metadata = new { k = "v" } })).Ok();

        var fetched = (await api.Get($"/v1/assistants/{created.Id}")).Ok();

        Assert.Equal(created.Text, fetched.Text);
    }

    [Fact]
    public async Task Explicit_nulls_on_create_give_the_defaults()
    {
        var assistant = (await api.Post("/v1/assistants", """
            {"model":"gpt-4o","name":null,"description":null,"instructions":null,"reasoning_effort":null,"tools":null,
             "tool_resources":null,"metadata":null,"temperature":null,"top_p":null,"response_format":null}
            """)).Ok().Json;

        Assert.True(assistant.IsNull("name"));
        Assert.True(assistant.IsNull("reasoning_effort"));
        AssertJson("[]", assistant.GetProperty("tools"));
        AssertJson("{}", assistant.GetProperty("metadata"));
        Assert.Equal(1.0, assistant.GetProperty("temperature").GetDouble());
        AssertJson("\"auto\"", assistant.GetProperty("response_format"));
    }
}
