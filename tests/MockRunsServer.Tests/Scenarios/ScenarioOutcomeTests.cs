using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Scenarios;

public sealed class CustomScenarioServer() : MockServerFactory(new Dictionary<string, string?>
{
    ["Mock:Scenarios:quota:Outcome"] = "fail",
    ["Mock:Scenarios:quota:ErrorCode"] = "rate_limit_exceeded",
    ["Mock:Scenarios:quota:ErrorMessage"] = "Out of credits.",
    ["Mock:Scenarios:scripted:MessageText"] = "Exactly this reply.",
    ["Mock:Scenarios:two_rounds:Outcome"] = "tool_call",
    ["Mock:Scenarios:two_rounds:ToolCalls"] = "2",
    ["Mock:Scenarios:slow:InProgress"] = "00:00:10",
    ["Mock:Scenarios:cut:Outcome"] = "incomplete",
    ["Mock:Scenarios:cut:IncompleteReason"] = "max_prompt_tokens",
});

/// <summary>What each scenario does to a run, and exactly which fields it sets (contract §2, spec/runs.md §4.2).</summary>
public sealed class ScenarioOutcomeTests(CustomScenarioServer factory) : IClassFixture<CustomScenarioServer>
{
    private readonly ApiClient api = factory.Api();

    private static readonly object WeatherAssistant = new
    {
        model = "gpt-4o",
        tools = new object[]
        {
            new { type = "function", function = new { name = "get_weather", parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } } } },
            new { type = "function", function = new { name = "get_time", parameters = new { type = "object", properties = new { zone = new { type = "string", @enum = new[] { "UTC", "CET" } } } } } },
        },
    };

    private async Task<(string Thread, string Run, JsonElement Body)> RunTo(string scenario, object? assistant = null, object? run = null, double seconds = 3)
    {
        var fields = new Dictionary<string, object?> { ["metadata"] = new { mock_scenario = scenario } };
        if (run is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(run).EnumerateObject())
            {
                fields[property.Name] = property.Value;
            }
        }
        var (_, thread, id) = await api.StartRun(assistant, fields);
        await api.Advance(seconds);
        return (thread, id, await api.GetRun(thread, id));
    }

    private async Task<JsonElement[]> Steps(string thread, string run) =>
        (await api.Get($"/v1/threads/{thread}/runs/{run}/steps?order=asc")).Ok().Json.GetProperty("data").EnumerateArray().ToArray();

    private async Task<JsonElement[]> RunMessages(string thread, string run) =>
        (await api.Get($"/v1/threads/{thread}/messages?run_id={run}")).Ok().Json.GetProperty("data").EnumerateArray().ToArray();

    [Fact]
    public async Task Fail_ends_failed_with_a_server_error_failed_at_and_usage()
    {
        var (thread, run, body) = await RunTo("fail");
        Assert.Equal("failed", body.Status());
        Assert.Equal("server_error", body.GetProperty("last_error").Str("code"));
        Assert.Equal("Sorry, something went wrong.", body.GetProperty("last_error").Str("message"));
        Assert.False(body.IsNull("failed_at"));
        Assert.True(body.IsNull("expires_at"));
        Assert.True(body.IsNull("completed_at"));
        Assert.False(body.IsNull("usage"));
        var step = Assert.Single(await Steps(thread, run));
        Assert.Equal("failed", step.Str("status"));
        Assert.Equal("server_error", step.GetProperty("last_error").Str("code"));
        Assert.Equal(body.GetProperty("usage").GetRawText(), step.GetProperty("usage").GetRawText());
        var message = Assert.Single(await RunMessages(thread, run));
        Assert.Equal("incomplete", message.Str("status"));
        Assert.Equal("run_failed", message.GetProperty("incomplete_details").Str("reason"));
        Assert.Empty(message.GetProperty("content").EnumerateArray());
    }

    [Fact]
    public async Task Rate_limit_fails_with_rate_limit_exceeded()
    {
        var (_, _, body) = await RunTo("rate_limit");
        Assert.Equal("failed", body.Status());
        Assert.Equal("rate_limit_exceeded", body.GetProperty("last_error").Str("code"));
        Assert.Contains("exceeded your current quota", body.GetProperty("last_error").Str("message"));
    }

    [Fact]
    public async Task Invalid_prompt_fails_with_invalid_prompt()
    {
        var (_, _, body) = await RunTo("invalid_prompt");
        Assert.Equal("failed", body.Status());
        Assert.Equal("invalid_prompt", body.GetProperty("last_error").Str("code"));
    }

    [Fact]
    public async Task Incomplete_ends_with_max_completion_tokens_and_an_incomplete_message()
    {
        var (thread, run, body) = await RunTo("incomplete");
        Assert.Equal("incomplete", body.Status());
        Assert.Equal("max_completion_tokens", body.GetProperty("incomplete_details").Str("reason"));
        Assert.True(body.IsNull("expires_at"));
        Assert.False(body.IsNull("usage"));
        var message = Assert.Single(await RunMessages(thread, run));
        Assert.Equal("incomplete", message.Str("status"));
        Assert.Equal("max_tokens", message.GetProperty("incomplete_details").Str("reason"));
        Assert.False(message.IsNull("incomplete_at"));
    }

    [Fact]
    public async Task Expire_without_function_tools_waits_in_progress_until_expires_at()
    {
        var (thread, run, body) = await RunTo("expire", seconds: 599);
        Assert.Equal("in_progress", body.Status());
        await api.Advance(1);
        var expired = await api.GetRun(thread, run);
        Assert.Equal("expired", expired.Status());
        Assert.True(expired.IsNull("usage"));
    }

    [Fact]
    public async Task Expire_with_function_tools_waits_in_requires_action_until_expires_at()
    {
        var (thread, run, body) = await RunTo("expire", WeatherAssistant, seconds: 5);
        Assert.Equal("requires_action", body.Status());
        await api.Advance(600);
        Assert.Equal("expired", (await api.GetRun(thread, run)).Status());
        Assert.Equal("expired", (await Steps(thread, run))[0].Str("status"));
    }

    [Fact]
    public async Task Tool_call_requires_action_with_a_call_per_function_and_completes_after_the_outputs()
    {
        var (thread, run, body) = await RunTo("tool_call", WeatherAssistant);
        Assert.Equal("requires_action", body.Status());
        var calls = body.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls").EnumerateArray().ToArray();
        Assert.Equal(["get_weather", "get_time"], calls.Select(c => c.GetProperty("function").Str("name")));
        var weather = JsonDocument.Parse(calls[0].GetProperty("function").Str("arguments")).RootElement;
        Assert.Equal(JsonValueKind.String, weather.GetProperty("city").ValueKind);

        var outputs = calls.Select(c => new { tool_call_id = c.Str("id"), output = "42" }).ToArray();
        (await api.Post($"/v1/threads/{thread}/runs/{run}/submit_tool_outputs", new { tool_outputs = outputs })).Ok();
        await api.Advance(3);

        Assert.Equal("completed", (await api.GetRun(thread, run)).Status());
        var steps = await Steps(thread, run);
        Assert.Equal(["tool_calls", "message_creation"], steps.Select(s => s.Str("type")));
        Assert.Equal(["42", "42"], steps[0].GetProperty("step_details").GetProperty("tool_calls").EnumerateArray().Select(call => call.GetProperty("function").Str("output")));
    }

    [Fact]
    public async Task Tool_call_without_function_tools_just_completes()
    {
        var (_, _, body) = await RunTo("tool_call");
        Assert.Equal("completed", body.Status());
    }

    [Fact]
    public async Task Tool_choice_none_turns_tool_call_into_complete()
    {
        var (_, _, body) = await RunTo("tool_call", WeatherAssistant, new { tool_choice = "none" });
        Assert.Equal("completed", body.Status());
    }

    [Theory]
    [InlineData("code_interpreter", new[] { "tool_calls", "message_creation" })]
    [InlineData("file_search", new[] { "tool_calls", "message_creation" })]
    public async Task Tool_choice_naming_a_built_in_tool_never_calls_a_function(string tool, string[] steps)
    {
        var tools = new object[] { new { type = tool }, new { type = "function", function = new { name = "get_time" } } };

        var (thread, run, body) = await RunTo("tool_call", WeatherAssistant, new { tools, tool_choice = new { type = tool } });

        Assert.Equal("completed", body.Status());
        var written = await Steps(thread, run);
        Assert.Equal(steps, written.Select(s => s.Str("type")));
        Assert.All(written.Where(step => step.Str("type") == "tool_calls"),
            step => Assert.Equal(tool, Assert.Single(step.GetProperty("step_details").GetProperty("tool_calls").EnumerateArray()).Str("type")));
    }

    [Fact]
    public async Task Tool_choice_required_makes_a_tool_round_before_completing()
    {
        var (_, _, body) = await RunTo("complete", WeatherAssistant, new { tool_choice = "required" });
        Assert.Equal("requires_action", body.Status());
    }

    [Fact]
    public async Task A_named_function_is_the_only_one_called()
    {
        var (_, _, body) = await RunTo("complete", WeatherAssistant, new { tool_choice = new { type = "function", function = new { name = "get_time" } } });
        var call = Assert.Single(body.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("get_time", call.GetProperty("function").Str("name"));
    }

    [Fact]
    public async Task Without_parallel_tool_calls_a_round_has_one_call()
    {
        var (_, _, body) = await RunTo("tool_call", WeatherAssistant, new { parallel_tool_calls = false });
        Assert.Single(body.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls").EnumerateArray());
    }

    [Fact]
    public async Task A_failing_scenario_fails_before_any_tool_round_even_when_tools_are_required()
    {
        var (thread, run, body) = await RunTo("fail", WeatherAssistant, new { tool_choice = "required" });
        Assert.Equal("failed", body.Status());
        Assert.DoesNotContain(await Steps(thread, run), step => step.Str("type") == "tool_calls");
    }

    [Fact]
    public async Task A_custom_scenario_sets_its_error_code_and_message()
    {
        var (_, _, body) = await RunTo("quota");
        Assert.Equal("failed", body.Status());
        Assert.Equal("rate_limit_exceeded", body.GetProperty("last_error").Str("code"));
        Assert.Equal("Out of credits.", body.GetProperty("last_error").Str("message"));
    }

    [Fact]
    public async Task A_custom_scenario_message_text_is_the_reply()
    {
        var (thread, run, _) = await RunTo("scripted");
        var message = Assert.Single(await RunMessages(thread, run));
        Assert.Equal("Exactly this reply.", message.GetProperty("content")[0].GetProperty("text").Str("value"));
    }

    [Fact]
    public async Task A_custom_scenario_with_two_tool_calls_makes_two_rounds()
    {
        var (thread, run, body) = await RunTo("two_rounds", WeatherAssistant);
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal("requires_action", body.Status());
            var outputs = body.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls").EnumerateArray()
                .Select(c => new { tool_call_id = c.Str("id"), output = $"round {round}" }).ToArray();
            (await api.Post($"/v1/threads/{thread}/runs/{run}/submit_tool_outputs", new { tool_outputs = outputs })).Ok();
            await api.Advance(3);
            body = await api.GetRun(thread, run);
        }
        Assert.Equal("completed", body.Status());
        Assert.Equal(["tool_calls", "tool_calls", "message_creation"], (await Steps(thread, run)).Select(s => s.Str("type")));
    }

    [Fact]
    public async Task A_custom_scenario_timing_overrides_the_global_one()
    {
        var (thread, run, body) = await RunTo("slow", seconds: 5);
        Assert.Equal("in_progress", body.Status());
        await api.Advance(6);
        Assert.Equal("completed", (await api.GetRun(thread, run)).Status());
    }

    [Fact]
    public async Task A_custom_incomplete_reason_is_reported()
    {
        var (_, _, body) = await RunTo("cut");
        Assert.Equal("max_prompt_tokens", body.GetProperty("incomplete_details").Str("reason"));
    }
}
