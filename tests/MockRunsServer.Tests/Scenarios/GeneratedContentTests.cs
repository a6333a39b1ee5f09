using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Scenarios;

/// <summary>The assistant's reply follows the run's response_format (issue 4, "Generated content").</summary>
public sealed class GeneratedContentTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private async Task<string> ReplyText(object run)
    {
        var (_, thread, id) = await api.StartRun(null, run);
        await api.Advance(3);
        var message = (await api.Get($"/v1/threads/{thread}/messages?run_id={id}")).Ok().Json.GetProperty("data")[0];
        return message.GetProperty("content")[0].GetProperty("text").Str("value");
    }

    [Fact]
    public async Task A_plain_reply_is_words_in_sentences()
    {
        var text = await ReplyText(new { });
        Assert.Matches(@"^[A-Z][^{}]+\.$", text);
        Assert.InRange(text.Split(' ').Length, 8, 30);
    }

    [Fact]
    public async Task With_json_object_the_reply_is_a_json_object()
    {
        var text = await ReplyText(new { response_format = new { type = "json_object" } });
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(text).RootElement.ValueKind);
    }

    [Fact]
    public async Task With_json_schema_the_reply_validates_against_the_schema()
    {
        var schemaJson = """
        {"type":"object","properties":{
          "title":{"type":"string","minLength":3,"maxLength":40},
          "rating":{"type":"integer","minimum":1,"maximum":5},
          "tags":{"type":"array","items":{"type":"string","enum":["fun","sad","long"]},"minItems":1,"maxItems":3},
          "published":{"type":"string","format":"date"}},
         "required":["title","rating","tags","published"],"additionalProperties":false}
        """;
        var schema = JsonSchema.FromText(schemaJson);
        for (var i = 0; i < 5; i++)
        {
            var text = await ReplyText(new
            {
                response_format = new { type = "json_schema", json_schema = new { name = "review", schema = JsonNode.Parse(schemaJson), strict = true } },
            });
            var result = schema.Evaluate(JsonNode.Parse(text), new EvaluationOptions { RequireFormatValidation = true });
            Assert.True(result.IsValid, $"{text} does not validate");
        }
    }

    [Fact]
    public async Task A_json_schema_reply_inherits_the_assistant_s_response_format()
    {
        var assistant = await api.CreateAssistant(new
        {
            model = "gpt-4o",
            response_format = new { type = "json_schema", json_schema = new { name = "point", schema = new { type = "object", properties = new { x = new { type = "number" } }, required = new[] { "x" } } } },
        });
        var thread = await api.CreateThread();
        var run = (await api.CreateRun(thread, new { assistant_id = assistant })).Ok();
        Assert.Equal("json_schema", run.Json.GetProperty("response_format").Str("type"));
        await api.Advance(3);
        var message = (await api.Get($"/v1/threads/{thread}/messages?run_id={run.Id}")).Ok().Json.GetProperty("data")[0];
        var reply = JsonDocument.Parse(message.GetProperty("content")[0].GetProperty("text").Str("value")).RootElement;
        Assert.Equal(JsonValueKind.Number, reply.GetProperty("x").ValueKind);
    }
}
