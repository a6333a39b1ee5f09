using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Scenarios;

/// <summary>With Mock:Seed and the manual clock, the same requests after a reset give byte-identical answers (contract §2).</summary>
public sealed class DeterminismTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private async Task<List<string>> Session()
    {
        var bodies = new List<string>();
        async Task<ApiResponse> Keep(Task<ApiResponse> call)
        {
            var response = await call;
            bodies.Add(response.Text);
            return response;
        }

        (await Keep(api.Post("/_mock/reset"))).Ok();
        var assistant = (await Keep(api.Post("/v1/assistants", new
        {
            model = "gpt-4o",
            tools = new object[]
            {
                new { type = "function", function = new { name = "lookup", parameters = new { type = "object", properties = new { q = new { type = "string" }, n = new { type = "integer", minimum = 1, maximum = 9 } }, required = new[] { "q", "n" } } } },
            },
        }))).Ok().Id;
        var thread = (await Keep(api.Post("/v1/threads", new { messages = new[] { new { role = "user", content = "hi" } } }))).Ok().Id;
        var run = (await Keep(api.Post($"/v1/threads/{thread}/runs", new { assistant_id = assistant, metadata = new { mock_scenario = "tool_call" } }))).Ok().Id;
        await Keep(api.Post("/_mock/clock/advance", new { seconds = 3 }));
        var waiting = (await Keep(api.Get($"/v1/threads/{thread}/runs/{run}"))).Json;
        var outputs = waiting.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls").EnumerateArray()
            .Select(call => new { tool_call_id = call.Str("id"), output = "ok" }).ToArray();
        await Keep(api.Post($"/v1/threads/{thread}/runs/{run}/submit_tool_outputs", new { tool_outputs = outputs }));
        await Keep(api.Post("/_mock/clock/advance", new { seconds = 3 }));
        await Keep(api.Get($"/v1/threads/{thread}/runs/{run}"));
        await Keep(api.Get($"/v1/threads/{thread}/messages"));
        await Keep(api.Get($"/v1/threads/{thread}/runs/{run}/steps"));
        var second = (await Keep(api.Post("/v1/threads/runs", new { assistant_id = assistant, thread = new { messages = new[] { new { role = "user", content = "again" } } } }))).Ok();
        await Keep(api.Post("/_mock/clock/advance", new { seconds = 10 }));
        await Keep(api.Get($"/v1/threads/{second.Json.Str("thread_id")}/messages"));
        await Keep(api.Get("/_mock/runs"));
        return bodies;
    }

    [Fact]
    public async Task The_same_requests_after_a_reset_give_byte_identical_answers()
    {
        var first = await Session();
        var second = await Session();

        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i], second[i]);
        }
    }

    [Theory]
    [InlineData("""{"tool_choice":{"type":"code_interpreter"}}""")]
    [InlineData("""{"metadata":{"mock_scenario":"no_such_scenario"}}""")]
    public async Task A_refused_create_thread_and_run_draws_no_ids(string refusal)
    {
        async Task<string> NextThreadAfter(bool refused)
        {
            (await api.Post("/_mock/reset")).Ok();
            var assistant = (await api.Post("/v1/assistants", new { model = "gpt-4o" })).Ok().Id;
            if (refused)
            {
                var body = refusal.Insert(1, $$"""
                    "assistant_id":"{{assistant}}","thread":{"messages":[{"role":"user","content":"hi"}]},
                    """);
                (await api.Post("/v1/threads/runs", body)).Error(System.Net.HttpStatusCode.BadRequest);
            }
            return (await api.Post("/v1/threads", "{}")).Ok().Id;
        }

        Assert.Equal(await NextThreadAfter(refused: false), await NextThreadAfter(refused: true));
    }

    [Fact]
    public async Task Ids_follow_OpenAI_s_format()
    {
        var bodies = await Session();
        var all = string.Join("\n", bodies);
        var matches = System.Text.RegularExpressions.Regex.Matches(all, ":\"(asst|thread|msg|run|step|call)_[^\"]*\"");
        foreach (System.Text.RegularExpressions.Match match in matches)
        {
            Assert.Matches("^:\"(asst|thread|msg|run|step|call)_[A-Za-z0-9]{24}\"$", match.Value);
        }
        // The session makes every kind of id, so none goes unchecked.
        Assert.Equal(["asst", "call", "msg", "run", "step", "thread"], matches.Select(match => match.Groups[1].Value).Distinct().Order());
    }
}
