using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Http;

/// <summary>
/// A null inside an object the server keeps as given (tool resources, a response format, a
/// message's attachments) counts as absent, as a null field does at the top: it is not written back
/// where OpenAI's schemas have an object, array or string.
/// </summary>
public sealed class NestedNullTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private static void AssertMatches(string schema, JsonElement answer)
    {
        if (OpenApiSchemas.IsAvailable)
        {
            OpenApiSchemas.AssertMatchesSchema(schema, answer.GetRawText());
        }
    }

    [Fact]
    public async Task Null_tool_resources_are_left_out_of_a_thread()
    {
        var thread = (await api.Post("/v1/threads", """
            {"tool_resources":{"code_interpreter":null,"file_search":{"vector_store_ids":null}}}
            """)).Ok().Json;

        Assert.Equal("""{"file_search":{}}""", thread.GetProperty("tool_resources").GetRawText());
        AssertMatches("ThreadObject", thread);
        Assert.Equal("""{"file_search":{}}""", (await api.Get($"/v1/threads/{thread.Str("id")}")).Ok().Json.GetProperty("tool_resources").GetRawText());
    }

    [Fact]
    public async Task Null_file_ids_are_left_out_of_an_assistant_s_code_interpreter()
    {
        var assistant = (await api.Post("/v1/assistants", """
            {"model":"gpt-4o","tools":[{"type":"code_interpreter"}],"tool_resources":{"code_interpreter":{"file_ids":null}}}
            """)).Ok().Json;

        Assert.Equal("""{"code_interpreter":{}}""", assistant.GetProperty("tool_resources").GetRawText());
        AssertMatches("AssistantObject", assistant);
    }

    [Fact]
    public async Task Null_json_schema_fields_are_left_out_but_a_null_inside_the_schema_is_kept()
    {
        var assistant = (await api.Post("/v1/assistants", """
            {"model":"gpt-4o","response_format":{"type":"json_schema","json_schema":{"name":"o","description":null,"strict":null,
             "schema":{"type":"object","properties":{"note":{"type":["string","null"],"default":null}}}}}}
            """)).Ok().Json;

        Assert.Equal(
            """{"type":"json_schema","json_schema":{"name":"o","schema":{"type":"object","properties":{"note":{"type":["string","null"],"default":null}}}}}""",
            assistant.GetProperty("response_format").GetRawText());
        AssertMatches("AssistantObject", assistant);
    }

    [Fact]
    public async Task A_null_tools_list_is_left_out_of_an_attachment()
    {
        var thread = (await api.Post("/v1/threads", "{}")).Ok().Id;

        var message = (await api.Post($"/v1/threads/{thread}/messages", """
            {"role":"user","content":"hi","attachments":[{"file_id":"file-abc","tools":null}]}
            """)).Ok().Json;

        Assert.Equal("""[{"file_id":"file-abc"}]""", message.GetProperty("attachments").GetRawText());
        AssertMatches("MessageObject", message);
    }
}
