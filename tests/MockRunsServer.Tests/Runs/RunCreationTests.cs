using System.Net;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>Create run: every optional field, its validation and its default (spec/runs.md §2.4, §3.4).</summary>
public sealed class RunCreationTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private async Task<(string Assistant, string Thread)> AssistantAndThread()
    {
        var assistant = await api.CreateAssistant(RunsApi.ToolAssistant);
        return (assistant, await api.CreateThread());
    }

    /// <summary>Creates a run whose body is <paramref name="fields"/> (JSON members) plus the assistant id.</summary>
    private async Task<ApiResponse> CreateWith(string fields)
    {
        var (assistant, thread) = await AssistantAndThread();
        var comma = fields.Length > 0 ? ", " : "";
        return await api.CreateRun(thread, $$"""{"assistant_id": "{{assistant}}"{{comma}}{{fields}}}""");
    }

    [Fact]
    public async Task A_run_without_optional_fields_has_the_real_defaults()
    {
        var run = (await CreateWith("")).Ok().Json;

        Assert.Equal("thread.run", run.Str("object"));
        Assert.Equal("""{"type":"auto","last_messages":null}""", run.GetProperty("truncation_strategy").GetRawText());
        Assert.Equal("auto", run.GetProperty("tool_choice").GetString());
        Assert.True(run.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("auto", run.GetProperty("response_format").GetString());
        Assert.Equal(1.0, run.GetProperty("temperature").GetDouble());
        Assert.Equal(1.0, run.GetProperty("top_p").GetDouble());
        Assert.True(run.IsNull("max_prompt_tokens"));
        Assert.True(run.IsNull("max_completion_tokens"));
        Assert.True(run.IsNull("reasoning_effort"));
        Assert.Equal("{}", run.GetProperty("metadata").GetRawText());
        Assert.Equal("{}", run.GetProperty("tool_resources").GetRawText());
    }

    [Fact]
    public async Task Every_field_of_the_run_object_is_present_even_when_null()
    {
        var run = (await CreateWith("")).Ok().Json;
        string[] fields =
        [
            "id", "object", "created_at", "assistant_id", "thread_id", "status", "started_at", "expires_at", "cancelled_at", "failed_at",
            "completed_at", "required_action", "last_error", "model", "instructions", "tools", "tool_resources", "metadata", "temperature",
            "top_p", "reasoning_effort", "max_completion_tokens", "max_prompt_tokens", "truncation_strategy", "incomplete_details", "usage",
            "response_format", "tool_choice", "parallel_tool_calls",
        ];
        Assert.All(fields, field => Assert.True(run.TryGetProperty(field, out _), $"'{field}' is missing"));
    }

    [Fact]
    public async Task Optional_fields_given_are_echoed_on_the_run()
    {
        var run = (await CreateWith("""
            "metadata": {"team": "blue"}, "temperature": 0.3, "top_p": 0.6, "reasoning_effort": "high",
            "max_prompt_tokens": 1000, "max_completion_tokens": 2000, "truncation_strategy": {"type": "last_messages", "last_messages": 3},
            "tool_choice": {"type": "function", "function": {"name": "get_time"}}, "parallel_tool_calls": false,
            "response_format": {"type": "json_object"}
            """)).Ok().Json;

        Assert.Equal("blue", run.GetProperty("metadata").Str("team"));
        Assert.Equal(0.3, run.GetProperty("temperature").GetDouble());
        Assert.Equal(0.6, run.GetProperty("top_p").GetDouble());
        Assert.Equal("high", run.Str("reasoning_effort"));
        Assert.Equal(1000, run.Long("max_prompt_tokens"));
        Assert.Equal(2000, run.Long("max_completion_tokens"));
        Assert.Equal("""{"type":"last_messages","last_messages":3}""", run.GetProperty("truncation_strategy").GetRawText());
        Assert.Equal("get_time", run.GetProperty("tool_choice").GetProperty("function").Str("name"));
        Assert.False(run.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("json_object", run.GetProperty("response_format").Str("type"));
    }

    [Theory]
    [InlineData("\"none\"")]
    [InlineData("\"auto\"")]
    [InlineData("\"required\"")]
    public async Task A_tool_choice_mode_is_echoed(string mode)
    {
        var run = (await CreateWith($"\"tool_choice\": {mode}")).Ok().Json;
        Assert.Equal(mode, run.GetProperty("tool_choice").GetRawText());
    }

    [Fact]
    public async Task A_json_schema_response_format_is_echoed_as_given()
    {
        var run = (await CreateWith("""
            "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}, "strict": true}}
            """)).Ok().Json;
        var schema = run.GetProperty("response_format").GetProperty("json_schema");
        Assert.Equal("answer", schema.Str("name"));
        Assert.True(schema.GetProperty("strict").GetBoolean());
    }

    [Fact]
    public async Task Tool_resources_are_not_a_create_run_field()
    {
        // Only create thread and run takes tool_resources (spec/runs.md §2.4).
        var error = (await CreateWith("""
            "tool_resources": {"code_interpreter": {"file_ids": ["file-abc"]}}
            """)).Error(HttpStatusCode.BadRequest);
        Assert.Equal("tool_resources", error.Str("param"));
        Assert.Equal("unknown_parameter", error.Str("code"));
    }

    [Theory]
    [InlineData("\"model\": 4", "model", "invalid_type")]
    [InlineData("\"instructions\": false", "instructions", "invalid_type")]
    [InlineData("\"additional_instructions\": []", "additional_instructions", "invalid_type")]
    [InlineData("\"reasoning_effort\": \"extreme\"", "reasoning_effort", "invalid_value")]
    [InlineData("\"temperature\": 2.5", "temperature", "decimal_above_max_value")]
    [InlineData("\"temperature\": -0.1", "temperature", "decimal_below_min_value")]
    [InlineData("\"temperature\": \"hot\"", "temperature", "invalid_type")]
    [InlineData("\"top_p\": 1.5", "top_p", "decimal_above_max_value")]
    [InlineData("\"stream\": \"yes\"", "stream", "invalid_type")]
    [InlineData("\"max_prompt_tokens\": 255", "max_prompt_tokens", "integer_below_min_value")]
    [InlineData("\"max_prompt_tokens\": 300.5", "max_prompt_tokens", "invalid_type")]
    [InlineData("\"max_completion_tokens\": 100", "max_completion_tokens", "integer_below_min_value")]
    [InlineData("\"truncation_strategy\": {\"type\": \"newest\"}", "truncation_strategy.type", "invalid_value")]
    [InlineData("\"truncation_strategy\": {\"type\": \"last_messages\", \"last_messages\": 0}", "truncation_strategy.last_messages", "integer_below_min_value")]
    [InlineData("\"truncation_strategy\": {\"type\": \"auto\", \"extra\": 1}", "truncation_strategy.extra", "unknown_parameter")]
    [InlineData("\"truncation_strategy\": \"auto\"", "truncation_strategy", "invalid_type")]
    [InlineData("\"tool_choice\": \"sometimes\"", "tool_choice", "invalid_value")]
    [InlineData("\"tool_choice\": {\"type\": \"browser\"}", "tool_choice.type", "invalid_value")]
    [InlineData("\"tool_choice\": {\"type\": \"function\"}", "tool_choice.function", "missing_required_parameter")]
    [InlineData("\"parallel_tool_calls\": \"no\"", "parallel_tool_calls", "invalid_type")]
    [InlineData("\"response_format\": {\"type\": \"xml\"}", "response_format.type", "invalid_value")]
    [InlineData("\"response_format\": \"json\"", "response_format", "invalid_value")]
    [InlineData("\"response_format\": {\"type\": \"json_schema\"}", "response_format.json_schema", "missing_required_parameter")]
    [InlineData("\"tools\": [{\"type\": \"browser\"}]", "tools[0].type", "invalid_value")]
    [InlineData("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"bad name\"}}]", "tools[0].function.name", "invalid_value")]
    [InlineData("\"tools\": {}", "tools", "invalid_type")]
    [InlineData("\"metadata\": {\"n\": 1}", "metadata.n", "invalid_type")]
    [InlineData("\"additional_messages\": [{\"role\": \"system\", \"content\": \"hi\"}]", "additional_messages[0].role", "invalid_value")]
    [InlineData("\"additional_messages\": [{\"role\": \"user\"}]", "additional_messages[0].content", "missing_required_parameter")]
    [InlineData("\"additional_messages\": [{\"role\": \"user\", \"content\": []}]", "additional_messages[0].content", "empty_array")]
    [InlineData("\"additional_messages\": \"hello\"", "additional_messages", "invalid_type")]
    [InlineData("\"colour\": \"red\"", "colour", "unknown_parameter")]
    public async Task A_bad_optional_field_is_a_400_naming_the_field(string fields, string param, string code)
    {
        var error = (await CreateWith(fields)).Error(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.Equal(param, error.Str("param"));
        Assert.Equal(code, error.Str("code"));
    }

    [Fact]
    public async Task A_temperature_above_two_reads_like_OpenAI()
    {
        var error = (await CreateWith("\"temperature\": 3")).Error(HttpStatusCode.BadRequest);
        Assert.Equal("Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.", error.Message());
    }

    [Fact]
    public async Task An_unknown_tool_choice_mode_lists_the_supported_values()
    {
        var error = (await CreateWith("\"tool_choice\": \"sometimes\"")).Error(HttpStatusCode.BadRequest);
        Assert.Equal("Invalid value: 'sometimes'. Supported values are: 'none', 'auto', and 'required'.", error.Message());
    }

    [Fact]
    public async Task More_than_twenty_tools_are_refused()
    {
        var tools = string.Join(", ", Enumerable.Range(0, 21).Select(i => "{\"type\": \"function\", \"function\": {\"name\": \"f" + i + "\"}}"));
        var error = (await CreateWith($"\"tools\": [{tools}]")).Error(HttpStatusCode.BadRequest);
        Assert.Equal("tools", error.Str("param"));
        Assert.Equal("array_above_max_length", error.Str("code"));
    }

    [Fact]
    public async Task More_than_sixteen_metadata_pairs_are_refused()
    {
        var pairs = string.Join(", ", Enumerable.Range(0, 17).Select(i => $"\"k{i}\": \"v\""));
        var error = (await CreateWith($"\"metadata\": {{{pairs}}}")).Error(HttpStatusCode.BadRequest);
        Assert.Equal("Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with 17 properties instead.", error.Message());
        Assert.Equal("object_above_max_properties", error.Str("code"));
    }

    [Fact]
    public async Task A_missing_assistant_id_is_a_missing_required_parameter()
    {
        var thread = await api.CreateThread();
        var error = (await api.CreateRun(thread, new { model = "gpt-4o" })).Error(HttpStatusCode.BadRequest);
        Assert.Equal("Missing required parameter: 'assistant_id'.", error.Message());
        Assert.Equal("assistant_id", error.Str("param"));
        Assert.Equal("missing_required_parameter", error.Str("code"));
    }

    [Fact]
    public async Task An_unknown_assistant_is_a_404()
    {
        var thread = await api.CreateThread();
        var error = (await api.CreateRun(thread, new { assistant_id = "asst_doesnotexist" })).Error(HttpStatusCode.NotFound);
        Assert.Equal("No assistant found with id 'asst_doesnotexist'.", error.Message());
    }

    [Fact]
    public async Task An_assistant_id_of_another_kind_is_a_400()
    {
        var thread = await api.CreateThread();
        var error = (await api.CreateRun(thread, new { assistant_id = "thread_abc" })).Error(HttpStatusCode.BadRequest);
        Assert.Equal("Invalid 'assistant_id': 'thread_abc'. Expected an ID that begins with 'asst'.", error.Message());
    }

    [Fact]
    public async Task A_run_on_an_unknown_thread_is_a_404()
    {
        var assistant = await api.CreateAssistant();
        var error = (await api.CreateRun("thread_doesnotexist", new { assistant_id = assistant })).Error(HttpStatusCode.NotFound);
        Assert.Equal("No thread found with id 'thread_doesnotexist'.", error.Message());
    }

    [Fact]
    public async Task A_refused_create_leaves_neither_a_run_nor_its_additional_messages()
    {
        var (assistant, thread) = await AssistantAndThread();
        var response = await api.CreateRun(thread, $$"""
            {"assistant_id": "{{assistant}}", "additional_messages": [{"role": "user", "content": "extra"}], "temperature": 9}
            """);
        response.Error(HttpStatusCode.BadRequest);

        Assert.Empty((await api.Get($"/v1/threads/{thread}/runs")).Ok().Json.GetProperty("data").EnumerateArray());
        Assert.Single(await api.Messages(thread));
    }

    [Fact]
    public async Task A_create_without_a_body_is_a_400_not_an_unknown_route()
    {
        var thread = await api.CreateThread();
        var error = (await api.Send(HttpMethod.Post, $"/v1/threads/{thread}/runs", null)).Error(HttpStatusCode.BadRequest);
        Assert.DoesNotContain("Invalid URL", error.Message());
    }

    [Fact]
    public async Task A_create_whose_json_comes_without_a_json_content_type_is_read_all_the_same()
    {
        var (assistant, thread) = await AssistantAndThread();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/threads/{thread}/runs")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { assistant_id = assistant }), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("OpenAI-Beta", "assistants=v2");
        using var response = await api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_an_object_is_a_400()
    {
        var thread = await api.CreateThread();
        var error = (await api.CreateRun(thread, "[1, 2]")).Error(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_type", error.Str("code"));
    }

    [Fact]
    public async Task A_streamed_create_answers_an_event_stream_that_starts_with_the_created_run()
    {
        var (assistant, thread) = await AssistantAndThread();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/threads/{thread}/runs")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { assistant_id = assistant, stream = true }), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("OpenAI-Beta", "assistants=v2");
        using var response = await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("event: thread.run.created", await reader.ReadLineAsync());
        var data = await reader.ReadLineAsync();
        Assert.StartsWith("data: ", data);
        var run = JsonDocument.Parse(data!["data: ".Length..]).RootElement;
        Assert.Equal("queued", run.Status());
        Assert.Equal(thread, run.Str("thread_id"));
    }
}
