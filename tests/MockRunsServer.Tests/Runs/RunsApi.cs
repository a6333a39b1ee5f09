using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>Shortcuts the runs and control tests share: tool assistants, cancel, submit, forced transitions.</summary>
public static class RunsApi
{
    /// <summary>An assistant with two function tools, so a tool round asks for two calls (parallel calls are on by default).</summary>
    public static readonly object ToolAssistant = new
    {
        model = "gpt-4o",
        name = "Tools",
        tools = new object[]
        {
            new
            {
                type = "function",
                function = new
                {
                    name = "get_weather",
                    description = "Weather in a city",
                    parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } },
                },
            },
            new { type = "function", function = new { name = "get_time" } },
        },
    };

    public static object Scenario(string name) => new { metadata = new Dictionary<string, string> { ["mock_scenario"] = name } };

    /// <summary>A run of the tool assistant under the <c>tool_call</c> scenario.</summary>
    public static Task<(string Assistant, string Thread, string Run)> StartToolRun(this ApiClient api, string scenario = "tool_call") =>
        api.StartRun(ToolAssistant, Scenario(scenario));

    /// <summary>A tool run moved on to requires_action (default timings: 0.5 s queued + 2 s in progress).</summary>
    public static async Task<(string Thread, string Run, JsonElement Body)> RunRequiringAction(this ApiClient api, string scenario = "tool_call")
    {
        var (_, thread, run) = await api.StartToolRun(scenario);
        await api.Advance(2.5);
        var body = await api.GetRun(thread, run);
        Assert.Equal("requires_action", body.Status());
        return (thread, run, body);
    }

    public static List<string> CallIds(this JsonElement run) =>
        run.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")
            .EnumerateArray().Select(call => call.Str("id")).ToList();

    public static Task<ApiResponse> Cancel(this ApiClient api, string thread, string run) =>
        api.Post($"/v1/threads/{thread}/runs/{run}/cancel");

    public static Task<ApiResponse> Submit(this ApiClient api, string thread, string run, IEnumerable<string> callIds) =>
        api.Post($"/v1/threads/{thread}/runs/{run}/submit_tool_outputs",
            new { tool_outputs = callIds.Select(id => new { tool_call_id = id, output = $"out-{id}" }).ToArray() });

    public static Task<ApiResponse> Transition(this ApiClient api, string run, string status, object? lastError = null) =>
        api.Post($"/_mock/runs/{run}/transition", lastError is null ? new { status } : new { status, last_error = lastError });

    public static async Task<List<JsonElement>> MockRuns(this ApiClient api, string query = "")
    {
        var body = (await api.Get("/_mock/runs" + query)).Ok().Json;
        return body.GetProperty("data").EnumerateArray().ToList();
    }

    /// <summary>
    /// An assistant, a thread with one user message (or the thread given) and a run of the complete
    /// scenario on them (with the run fields given), advanced past its end.
    /// </summary>
    public static async Task<(string Thread, string Run)> RunToEnd(this ApiClient api, object assistant, object? thread = null, object? run = null, string question = "What does it say?")
    {
        var assistantId = await api.CreateAssistant(assistant);
        var threadId = await api.CreateThread(thread ?? new { messages = new[] { new { role = "user", content = question } } });
        var body = JsonSerializer.SerializeToNode(run ?? new { })!.AsObject();
        body["assistant_id"] = assistantId;
        var runId = (await api.CreateRun(threadId, body, ("X-Mock-Scenario", "complete"))).Ok().Id;
        await api.Advance(3);
        return (threadId, runId);
    }

    public static async Task<List<JsonElement>> Steps(this ApiClient api, string thread, string run, string query = "") =>
        (await api.Get($"/v1/threads/{thread}/runs/{run}/steps{query}")).Ok().Json.GetProperty("data").EnumerateArray().ToList();

    public static async Task<List<JsonElement>> Messages(this ApiClient api, string thread, string query = "") =>
        (await api.Get($"/v1/threads/{thread}/messages{query}")).Ok().Json.GetProperty("data").EnumerateArray().ToList();

    public static async Task<long> NowMs(this ApiClient api) => (await api.Get("/_mock/clock")).Ok().Json.Long("now_ms");

    /// <summary>Moves the manual clock to an absolute time in Unix milliseconds.</summary>
    public static async Task<JsonElement> AdvanceToMs(this ApiClient api, long unixMs) =>
        (await api.Post("/_mock/clock/advance", new { to = unixMs / 1000.0 })).Ok().Json;

    public static string Message(this JsonElement error) => error.Str("message");
}
