using System.Net;
using System.Text;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Http;

/// <summary>Bodies that once slipped past validation: bad bytes, absurd nesting, non-object schemas, trailing newlines.</summary>
public sealed class BodyEdgeCaseTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private static object FunctionTool(object parameters, string name = "lookup") =>
        new { model = "gpt-4o", tools = new object[] { new { type = "function", function = new { name, parameters } } } };

    private static string Nested(int depth)
    {
        var text = new StringBuilder("{\"type\":\"object\",\"properties\":");
        for (var i = 0; i < depth; i++)
        {
            text.Append("{\"a\":");
        }
        text.Append("{}");
        text.Append('}', depth + 1);
        return text.ToString();
    }

    [Fact]
    public async Task A_key_given_twice_takes_its_last_value_as_OpenAIs_JSON_parser_does()
    {
        var assistant = (await api.Post("/v1/assistants", """
            {"model":"gpt-4o","name":"first","tools":[{"type":"code_interpreter"}],"name":"second",
             "tool_resources":{"code_interpreter":{"file_ids":["file-a"]},"code_interpreter":{"file_ids":["file-b"]}}}
            """)).Ok().Json;

        Assert.Equal("second", assistant.Str("name"));
        Assert.Equal("""{"code_interpreter":{"file_ids":["file-b"]}}""", assistant.GetProperty("tool_resources").GetRawText());
    }

    [Fact]
    public async Task A_thread_modified_with_a_key_given_twice_still_takes_messages_with_attachments()
    {
        var thread = await api.CreateThread();
        (await api.Post($"/v1/threads/{thread}", """{"tool_resources":{"code_interpreter":{"file_ids":[]},"code_interpreter":{"file_ids":[]}}}""")).Ok();

        var message = await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "hi", attachments = new[] { new { file_id = "file-x", tools = new[] { new { type = "file_search" } } } } });

        message.Ok();
        var resources = (await api.Get($"/v1/threads/{thread}")).Ok().Json.GetProperty("tool_resources");
        Assert.Equal(["code_interpreter", "file_search"], resources.EnumerateObject().Select(property => property.Name));
    }

    [Fact]
    public async Task Invalid_UTF_8_in_a_body_is_the_parse_error_not_a_500()
    {
        using var content = new ByteArrayContent([.. "{\"model\":\""u8, 0xFF, 0xFE, .. "\"}"u8]);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/assistants") { Content = content };
        request.Headers.Add("OpenAI-Beta", "assistants=v2");

        using var response = await api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("could not parse the JSON body", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_function_schema_nested_too_deep_is_refused_and_lists_keep_working()
    {
        var assistant = "{\"model\":\"gpt-4o\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"deep\",\"parameters\":" + Nested(50) + "}}]}";
        var error = (await api.Post("/v1/assistants", assistant)).Error(HttpStatusCode.BadRequest);

        Assert.Equal("tools[0].function.parameters", error.Str("param"));
        (await api.Get("/v1/assistants")).Ok();
    }

    [Fact]
    public async Task A_function_schema_within_the_depth_limit_is_listed_fine()
    {
        var assistant = "{\"model\":\"gpt-4o\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"fine\",\"parameters\":" + Nested(28) + "}}]}";
        (await api.Post("/v1/assistants", assistant)).Ok();
        (await api.Get("/v1/assistants?limit=100")).Ok();
    }

    [Fact]
    public async Task Function_parameters_that_are_not_an_object_schema_are_refused()
    {
        var error = (await api.Post("/v1/assistants", FunctionTool(new { type = "string" }))).Error(HttpStatusCode.BadRequest);
        Assert.Equal("tools[0].function.parameters", error.Str("param"));
        Assert.Contains("'type: \"object\"'", error.Str("message"));
    }

    [Fact]
    public async Task A_function_name_with_a_trailing_newline_is_refused()
    {
        var error = (await api.Post("/v1/assistants", FunctionTool(new { type = "object" }, "lookup\n"))).Error(HttpStatusCode.BadRequest);
        Assert.Equal("tools[0].function.name", error.Str("param"));
    }

    [Fact]
    public async Task The_vector_stores_helper_is_unknown_on_modify()
    {
        var assistant = await api.CreateAssistant();
        var before = (await api.Get($"/v1/assistants/{assistant}")).Text;
        var error = (await api.Post($"/v1/assistants/{assistant}", new { tool_resources = new { file_search = new { vector_stores = new[] { new { file_ids = new[] { "file-abc" } } } } } }))
            .Error(HttpStatusCode.BadRequest);

        Assert.Equal("unknown_parameter", error.Str("code"));
        Assert.Equal(before, (await api.Get($"/v1/assistants/{assistant}")).Text);
    }

    [Fact]
    public async Task Concurrent_modifications_of_different_fields_all_land()
    {
        var assistant = await api.CreateAssistant();
        await Task.WhenAll(
            api.Post($"/v1/assistants/{assistant}", new { name = "renamed" }),
            api.Post($"/v1/assistants/{assistant}", new { description = "described" }),
            api.Post($"/v1/assistants/{assistant}", new { instructions = "instructed" }));

        var body = (await api.Get($"/v1/assistants/{assistant}")).Ok().Json;
        Assert.Equal("renamed", body.Str("name"));
        Assert.Equal("described", body.Str("description"));
        Assert.Equal("instructed", body.Str("instructions"));
    }
}
