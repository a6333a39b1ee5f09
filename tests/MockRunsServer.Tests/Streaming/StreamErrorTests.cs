using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MockRunsServer.Streaming;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>
/// Problems found before a stream starts are ordinary JSON errors; a problem after it started can
/// only be an <c>error</c> event (spec/runs.md §9, §9.6).
/// </summary>
public sealed class StreamErrorTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private static async Task<JsonElement> JsonError(HttpResponseMessage response, HttpStatusCode status)
    {
        using var _ = response;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.ContentType()?.MediaType);
        if (OpenApiSchemas.IsAvailable)
        {
            OpenApiSchemas.AssertMatchesSchema("ErrorResponse", text);
        }
        return JsonDocument.Parse(text).RootElement.GetProperty("error").Clone();
    }

    private Task<HttpResponseMessage> Send(string path, object body, params (string Name, string Value)[] headers) =>
        EventStream.Send(api, path, body, headers);

    [Fact]
    public async Task A_stream_request_with_an_invalid_parameter_is_a_json_400()
    {
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread();

        var error = await JsonError(await Send($"/v1/threads/{thread}/runs", new { assistant_id = assistant, stream = true, temperature = 9 }), HttpStatusCode.BadRequest);

        Assert.Equal("temperature", error.Str("param"));
    }

    [Fact]
    public async Task A_stream_request_for_an_unknown_assistant_is_a_json_404()
    {
        var thread = await api.CreateThread();

        var error = await JsonError(await Send($"/v1/threads/{thread}/runs", new { assistant_id = "asst_nope", stream = true }), HttpStatusCode.NotFound);

        Assert.Equal("No assistant found with id 'asst_nope'.", error.Str("message"));
    }

    [Fact]
    public async Task A_stream_request_on_an_unknown_thread_is_a_json_404()
    {
        var assistant = await api.CreateAssistant();

        await JsonError(await Send("/v1/threads/thread_nope/runs", new { assistant_id = assistant, stream = true }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_stream_request_on_a_thread_with_an_active_run_is_a_json_400()
    {
        var (_, thread, run) = await api.StartRun();
        var assistant = await api.CreateAssistant();

        var error = await JsonError(await Send($"/v1/threads/{thread}/runs", new { assistant_id = assistant, stream = true }), HttpStatusCode.BadRequest);

        Assert.Equal($"Thread {thread} already has an active run {run}.", error.Str("message"));
    }

    [Fact]
    public async Task A_stream_request_naming_an_unknown_scenario_is_a_json_400()
    {
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread();

        await JsonError(await Send($"/v1/threads/{thread}/runs", new { assistant_id = assistant, stream = true }, ("X-Mock-Scenario", "no_such_scenario")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Submitting_with_stream_to_a_run_not_waiting_for_outputs_is_a_json_400()
    {
        var (_, thread, run) = await api.StartRun();

        var error = await JsonError(await Send($"/v1/threads/{thread}/runs/{run}/submit_tool_outputs",
            new { tool_outputs = new[] { new { tool_call_id = "call_x", output = "x" } }, stream = true }), HttpStatusCode.BadRequest);

        Assert.Equal("Runs in status \"queued\" do not accept tool outputs.", error.Str("message"));
    }

    [Fact]
    public async Task Submitting_with_stream_without_every_output_is_a_json_400_and_the_run_still_waits()
    {
        var (thread, created) = await api.OpenRun(await api.CreateToolAssistant("get_weather", "get_tides"), "tool_call");
        await using var _ = created;
        await api.Advance(StreamingApi.WholeRun);
        await created.ReadToEnd();
        var first = ((dynamic[])StreamingApi.OutputsFor(created.Events.Single("thread.run.requires_action")))[0];

        var error = await JsonError(await Send($"/v1/threads/{thread}/runs/{created.RunId()}/submit_tool_outputs",
            new { tool_outputs = new[] { first }, stream = true }), HttpStatusCode.BadRequest);

        Assert.StartsWith("Expected tool outputs for call_ids [", error.Str("message"), StringComparison.Ordinal);
        Assert.Equal("requires_action", (await api.GetRun(thread, created.RunId())).Status());
    }

    [Fact]
    public async Task Submitting_with_stream_to_an_unknown_run_is_a_json_404()
    {
        var thread = await api.CreateThread();

        await JsonError(await Send($"/v1/threads/{thread}/runs/run_nope/submit_tool_outputs",
            new { tool_outputs = Array.Empty<object>(), stream = true }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_thread_and_run_with_stream_and_an_unknown_assistant_is_a_json_404()
    {
        var error = await JsonError(await Send("/v1/threads/runs", new { assistant_id = "asst_nope", stream = true }), HttpStatusCode.NotFound);

        Assert.Equal("No assistant found with id 'asst_nope'.", error.Str("message"));
    }

    [Fact]
    public async Task A_refused_stream_request_leaves_no_subscriber_behind()
    {
        var (_, thread, _) = await api.StartRun();
        var assistant = await api.CreateAssistant();
        var counter = factory.Services.GetRequiredService<StreamCounter>();

        await JsonError(await Send($"/v1/threads/{thread}/runs", new { assistant_id = assistant, stream = true }), HttpStatusCode.BadRequest);

        Assert.Equal((0, 0), (counter.Open, counter.Subscribed));
    }
}
