#pragma warning disable OPENAI001

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using MockRunsServer.Tests.Infrastructure;
using OpenAI.Assistants;

namespace MockRunsServer.Tests.Sdk;

/// <summary>
/// The official SDK's <see cref="AssistantClient"/> talking to the in-process server, and the manual
/// clock driven over plain HTTP from the same factory. Every buffered JSON answer the SDK receives is
/// also checked against the spec's schema for its operation (when the spec is present), as
/// <see cref="ApiClient"/> does for raw requests.
/// </summary>
public sealed class SdkHarness
{
    /// <param name="headers">Sent on every request, e.g. <c>X-Mock-Scenario</c> (the SDK's typed methods take no per-call headers).</param>
    public SdkHarness(MockServerFactory factory, params (string Name, string Value)[] headers)
    {
        Api = factory.Api();
        var options = new AssistantClientOptions
        {
            Endpoint = new Uri(factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(factory.CreateClient()),
        };
        options.AddPolicy(new SchemaCheckPolicy(), PipelinePosition.PerTry);
        if (headers.Length > 0)
        {
            options.AddPolicy(new HeaderPolicy(headers), PipelinePosition.PerCall);
        }
        Client = new AssistantClient(new ApiKeyCredential("sk-test"), options);
    }

    public AssistantClient Client { get; }

    /// <summary>Raw HTTP to the same server, for the control API.</summary>
    public ApiClient Api { get; }

    public Task<JsonElement> Advance(double seconds) => Api.Advance(seconds);

    /// <summary>The manual clock's current Unix second.</summary>
    public async Task<long> Now() => (await Api.Get("/_mock/clock")).Ok().Json.Long("now");

    public async Task<Assistant> CreateAssistant(AssistantCreationOptions? options = null) =>
        (await Client.CreateAssistantAsync("gpt-4o", options ?? new AssistantCreationOptions { Name = "Helper" })).Value;

    /// <summary>An assistant with function tools (<c>get_weather</c> unless named), for tool rounds.</summary>
    public Task<Assistant> CreateAssistantWithFunctions(params string[] names)
    {
        var options = new AssistantCreationOptions { Name = "Tool user" };
        foreach (var name in names.Length == 0 ? ["get_weather"] : names)
        {
            options.Tools.Add(ToolDefinition.CreateFunction(name, $"Calls {name}", BinaryData.FromString(WeatherParameters)));
        }
        return CreateAssistant(options);
    }

    public const string WeatherParameters =
        """{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["c","f"]}},"required":["city","unit"]}""";

    /// <summary>The same, closed as strict: true requires.</summary>
    public const string StrictWeatherParameters =
        """{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["c","f"]}},"required":["city","unit"],"additionalProperties":false}""";

    public async Task<AssistantThread> CreateThread(string text = "Hello there") =>
        (await Client.CreateThreadAsync(new ThreadCreationOptions { InitialMessages = { text } })).Value;

    /// <summary>Run options that pick a mock scenario through run metadata (the SDK has no way to send a header per call).</summary>
    public static RunCreationOptions Scenario(string name) => new() { Metadata = { ["mock_scenario"] = name } };

    /// <summary>Advances the clock in small steps, reading the run after each, until it reaches <paramref name="until"/> or a terminal status.</summary>
    public async Task<ThreadRun> Poll(ThreadRun run, RunStatus? until = null, double step = 0.25, int maxPolls = 400)
    {
        for (var polls = 0; polls < maxPolls; polls++)
        {
            if (run.Status.IsTerminal || run.Status == until || (until is null && run.Status == RunStatus.RequiresAction))
            {
                return run;
            }
            await Advance(step);
            run = (await Client.GetRunAsync(run.ThreadId, run.Id)).Value;
        }
        throw new Xunit.Sdk.XunitException($"Run {run.Id} still {run.Status} after {maxPolls} polls.");
    }

    /// <summary>Creates a run and polls it until it stops moving on its own.</summary>
    public async Task<ThreadRun> RunToEnd(string threadId, string assistantId, RunCreationOptions? options = null) =>
        await Poll((await Client.CreateRunAsync(threadId, assistantId, options)).Value);

    /// <summary>
    /// Starts an SDK stream and reads it to the end. In manual mode events only come as the clock
    /// moves, so whenever the reader is left waiting and has seen everything the server has done, the
    /// clock goes to the run's next scheduled change (the <c>openai-poll-after-ms</c> of a GET), one
    /// change at a time: the server is never more than one transition ahead of the reader.
    /// <paramref name="onUpdate"/> runs for each update as it arrives, e.g. to cancel mid-stream.
    /// An error answer before the stream starts is thrown as the SDK throws it.
    /// </summary>
    public async Task<List<StreamingUpdate>> ReadStream(Func<Task<AsyncStreamingResult<StreamingUpdate>>> start, Func<StreamingUpdate, Task>? onUpdate = null)
    {
        var updates = new List<StreamingUpdate>();
        var seen = new SeenState();
        await using var stream = await start();
        await using var reader = ((IAsyncEnumerable<StreamingUpdate>)stream).GetAsyncEnumerator();
        while (true)
        {
            var next = reader.MoveNextAsync().AsTask();
            while (!next.IsCompleted && await AdvanceUnlessSomethingIsComing(seen, next))
            {
            }
            if (!await next.WaitAsync(TimeSpan.FromSeconds(30)))
            {
                return updates;
            }
            var update = reader.Current;
            updates.Add(update);
            seen.Observe(update);
            if (onUpdate is not null)
            {
                await onUpdate(update);
            }
        }
    }

    /// <summary>
    /// When the reader has caught up with the run (same status, same newest step and message, same
    /// message text), moves the clock to the run's next change. True when that changed nothing visible
    /// (a delta with nothing left to show, or an expiry beyond the poll cap), so the clock must move on
    /// again; false when events are on their way or the run is not moving on its own. A step or a
    /// message the server has made and the reader has not yet seen is on its way: moving the clock
    /// then would let the run run ahead of a reader that means to act on what it sees.
    /// </summary>
    private async Task<bool> AdvanceUnlessSomethingIsComing(SeenState seen, Task next)
    {
        if (seen.ThreadId is null || seen.RunId is null)
        {
            return false;
        }
        var before = await ServerState(seen);
        if (before.Status != seen.Status || before.StepId != seen.StepId || before.MessageId != seen.MessageId
            || before.TextLength != seen.TextLength || before.PollAfterMs is not { } ms || next.IsCompleted)
        {
            return false;
        }
        await Api.Advance(ms / 1000.0);
        var after = await ServerState(seen);
        return after.Status == before.Status && after.StepId == before.StepId && after.TextLength == before.TextLength;
    }

    private async Task<(string Status, string? StepId, string? MessageId, int TextLength, long? PollAfterMs)> ServerState(SeenState seen)
    {
        var run = (await Api.Get($"/v1/threads/{seen.ThreadId}/runs/{seen.RunId}")).Ok();
        var poll = run.Header("openai-poll-after-ms") is { } header ? long.Parse(header, System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
        var steps = (await Api.Get($"/v1/threads/{seen.ThreadId}/runs/{seen.RunId}/steps?limit=1")).Ok().Json.GetProperty("data");
        string? stepId = null;
        // The newest message the run writes is the one its newest message_creation step names; an
        // older one (before a tool round) is what the reader last saw while the newest step is a tool step.
        var messageId = seen.MessageId;
        if (steps.GetArrayLength() > 0)
        {
            var step = steps[0];
            stepId = step.Str("id");
            if (step.GetProperty("step_details").TryGetProperty("message_creation", out var creation))
            {
                messageId = creation.Str("message_id");
            }
        }
        var textLength = 0;
        if (messageId is not null)
        {
            var content = (await Api.Get($"/v1/threads/{seen.ThreadId}/messages/{messageId}")).Ok().Json.GetProperty("content");
            textLength = content.GetArrayLength() == 0 ? 0 : content[0].GetProperty("text").GetProperty("value").GetString()!.Length;
        }
        return (run.Json.Str("status"), stepId, messageId, textLength, poll);
    }

    /// <summary>What the reader of a stream has seen so far: the run's status and the text of its current message.</summary>
    private sealed class SeenState
    {
        public string? ThreadId { get; private set; }
        public string? RunId { get; private set; }
        public string? Status { get; private set; }
        public string? StepId { get; private set; }
        public string? MessageId { get; private set; }
        public int TextLength { get; private set; }

        public void Observe(StreamingUpdate update)
        {
            switch (update)
            {
                case RunUpdate run:
                    (ThreadId, RunId, Status) = (run.Value.ThreadId, run.Value.Id, run.Value.Status.ToString());
                    break;
                // Any event of a step: a stream that begins mid-run (after submitting outputs) first hears of the step it finishes.
                case RunStepUpdate step:
                    StepId = step.Value.Id;
                    break;
                case MessageStatusUpdate { UpdateKind: StreamingUpdateReason.MessageCreated } message:
                    (MessageId, TextLength) = (message.Value.Id, 0);
                    break;
                case MessageContentUpdate delta when delta.MessageId == MessageId:
                    TextLength += delta.Text?.Length ?? 0;
                    break;
            }
        }
    }

    private sealed class HeaderPolicy((string Name, string Value)[] headers) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Add(message);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Add(message);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }

        private void Add(PipelineMessage message)
        {
            foreach (var (name, value) in headers)
            {
                message.Request.Headers.Set(name, value);
            }
        }
    }

    /// <summary>Fails the test when a JSON answer does not fit the schema of its operation.</summary>
    private sealed class SchemaCheckPolicy : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            ProcessNext(message, pipeline, currentIndex);
            Check(message);
        }

        public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            await ProcessNextAsync(message, pipeline, currentIndex);
            Check(message);
        }

        private static void Check(PipelineMessage message)
        {
            if (!OpenApiSchemas.IsAvailable || !message.BufferResponse || message.Response is not { } response
                || !response.Headers.TryGetValue("Content-Type", out var type) || type?.StartsWith("application/json", StringComparison.Ordinal) != true)
            {
                return;
            }
            var uri = message.Request.Uri!;
            var text = response.Content.ToString();
            if (response.Status >= 400)
            {
                OpenApiSchemas.AssertMatchesSchema("ErrorResponse", text);
                return;
            }
            OpenApiSchemas.AssertMatchesResponse(message.Request.Method, uri.AbsolutePath, text);
        }
    }
}

/// <summary>Checks that the SDK's model reads every field we send the way we meant it.</summary>
public static class SdkJson
{
    /// <summary>
    /// Reads <paramref name="json"/> into the SDK model and writes it back: a field the SDK misread
    /// (wrong type, dropped value, unknown enum) comes back different, or throws. A null the SDK
    /// leaves out when writing (<c>truncation_strategy.last_messages</c>) counts as the same.
    /// </summary>
    public static T AssertRoundTrips<T>(string json) where T : IJsonModel<T>
    {
        var model = ModelReaderWriter.Read<T>(BinaryData.FromString(json), ModelReaderWriterOptions.Json)!;
        var written = ModelReaderWriter.Write(model, ModelReaderWriterOptions.Json).ToString();
        var expected = WithoutNullProperties(JsonNode.Parse(json));
        var actual = WithoutNullProperties(JsonNode.Parse(written));
        Assert.True(JsonNode.DeepEquals(expected, actual), $"The SDK's {typeof(T).Name} changed the JSON.\nSent:    {json}\nWritten: {written}");
        return model;
    }

    private static JsonNode? WithoutNullProperties(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (value is null)
                    {
                        obj.Remove(name);
                    }
                    else
                    {
                        WithoutNullProperties(value);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    WithoutNullProperties(item);
                }
                break;
        }
        return node;
    }
}
