using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>Shortcuts the streaming tests share: assistants with function tools, opening streams, expected event orders.</summary>
public static class StreamingApi
{
    /// <summary>Time from creation to the end of a default run (Queued 0.5 s + InProgress 2 s), with room to spare.</summary>
    public const double WholeRun = 3;

    /// <summary>The events of a message_creation step from creation to completion (runs.md §9.3 items 4–10).</summary>
    public static readonly string[] MessageCreation =
    [
        "thread.run.step.created", "thread.run.step.in_progress", "thread.message.created", "thread.message.in_progress",
        "thread.message.delta+", "thread.message.completed", "thread.run.step.completed",
    ];

    public static readonly string[] Start = ["thread.run.created", "thread.run.queued", "thread.run.in_progress"];

    /// <summary>The events of a tool_calls step the run makes itself (a file search, code), done at once.</summary>
    public static readonly string[] BuiltInStep = ["thread.run.step.created", "thread.run.step.in_progress", "thread.run.step.delta+", "thread.run.step.completed"];

    /// <summary>Opens a complete-scenario run stream on the assistant (on a new thread unless one is given) and reads it to the end.</summary>
    public static async Task<EventStream> StreamToEnd(this ApiClient api, string assistant, string? thread = null)
    {
        thread ??= await api.CreateThread();
        var stream = await api.OpenRun(thread, assistant, "complete");
        await api.Advance(WholeRun);
        await stream.ReadToEnd();
        return stream;
    }

    public static object Function(string name) => new
    {
        type = "function",
        function = new
        {
            name,
            description = $"The {name} tool",
            parameters = new { type = "object", properties = new { city = new { type = "string" }, days = new { type = "integer" } }, required = new[] { "city", "days" } },
        },
    };

    public static Task<string> CreateToolAssistant(this ApiClient api, params string[] functions) =>
        api.CreateAssistant(new { model = "gpt-4o", name = "Forecaster", tools = (functions.Length == 0 ? ["get_weather"] : functions).Select(Function).ToArray() });

    /// <summary>Creates an assistant and a thread and opens a run stream on it.</summary>
    public static async Task<(string Thread, EventStream Stream)> OpenRun(this ApiClient api, string? assistant = null, string? scenario = null)
    {
        assistant ??= await api.CreateAssistant();
        var thread = await api.CreateThread();
        var stream = await api.OpenRun(thread, assistant, scenario);
        return (thread, stream);
    }

    public static Task<EventStream> OpenRun(this ApiClient api, string thread, string assistant, string? scenario) =>
        EventStream.Open(api, $"/v1/threads/{thread}/runs", new { assistant_id = assistant, stream = true }, Scenario(scenario));

    public static (string Name, string Value)[] Scenario(string? scenario) =>
        scenario is null ? [] : [("X-Mock-Scenario", scenario)];

    /// <summary>The event names, with each run of consecutive deltas of one kind shown once as <c>name+</c>.</summary>
    public static List<string> Squashed(this IEnumerable<ServerSentEvent> events)
    {
        var names = new List<string>();
        foreach (var name in events.Select(e => e.Event))
        {
            var shown = name.EndsWith(".delta", StringComparison.Ordinal) ? name + "+" : name;
            if (names.Count == 0 || names[^1] != shown || !shown.EndsWith('+'))
            {
                names.Add(shown);
            }
        }
        return names;
    }

    public static string[] Sequence(params IEnumerable<string>[] parts) => parts.SelectMany(part => part).ToArray();

    public static JsonElement Single(this IEnumerable<ServerSentEvent> events, string name) =>
        Assert.Single(events.Named(name)).Json();

    public static string RunId(this EventStream stream) => stream.Events.Single("thread.run.created").Str("id");

    /// <summary>The text of the thread's assistant message for a run, as a GET shows it now.</summary>
    public static async Task<string> MessageText(this ApiClient api, string thread, string messageId)
    {
        var message = (await api.Get($"/v1/threads/{thread}/messages/{messageId}")).Ok().Json;
        return string.Concat(message.GetProperty("content").EnumerateArray().Select(part => part.GetProperty("text").GetProperty("value").GetString()));
    }

    /// <summary>Tool outputs answering every call the run asks for.</summary>
    public static object[] OutputsFor(JsonElement run) => run.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")
        .EnumerateArray().Select(call => (object)new { tool_call_id = call.Str("id"), output = "sunny" }).ToArray();
}
