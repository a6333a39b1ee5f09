using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Http;

/// <summary>
/// Swagger UI at /swagger documents every route with request and response schemas that match the
/// wire (snake_case), and "Try it out" sends the beta header (issue 2, item 7).
/// </summary>
public sealed partial class SwaggerTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly HttpClient http = factory.CreateClient();

    private async Task<JsonElement> Document()
    {
        using var response = await http.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement Operation(JsonElement document, string method, string path) =>
        document.GetProperty("paths").TryGetProperty(path, out var item) && item.TryGetProperty(method.ToLowerInvariant(), out var operation)
            ? operation
            : throw new Xunit.Sdk.XunitException($"{method} {path} is not documented");

    /// <summary>A schema, following a $ref into components/schemas.</summary>
    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;

    /// <summary>The 23 operations of spec/runs.md §2, under /v1, with OpenAI's operation ids.</summary>
    public static TheoryData<string, string, string> OpenAIOperations => new()
    {
        { "GET", "/v1/assistants", "listAssistants" },
        { "POST", "/v1/assistants", "createAssistant" },
        { "GET", "/v1/assistants/{assistant_id}", "getAssistant" },
        { "POST", "/v1/assistants/{assistant_id}", "modifyAssistant" },
        { "DELETE", "/v1/assistants/{assistant_id}", "deleteAssistant" },
        { "POST", "/v1/threads", "createThread" },
        { "POST", "/v1/threads/runs", "createThreadAndRun" },
        { "GET", "/v1/threads/{thread_id}", "getThread" },
        { "POST", "/v1/threads/{thread_id}", "modifyThread" },
        { "DELETE", "/v1/threads/{thread_id}", "deleteThread" },
        { "GET", "/v1/threads/{thread_id}/messages", "listMessages" },
        { "POST", "/v1/threads/{thread_id}/messages", "createMessage" },
        { "GET", "/v1/threads/{thread_id}/messages/{message_id}", "getMessage" },
        { "POST", "/v1/threads/{thread_id}/messages/{message_id}", "modifyMessage" },
        { "DELETE", "/v1/threads/{thread_id}/messages/{message_id}", "deleteMessage" },
        { "GET", "/v1/threads/{thread_id}/runs", "listRuns" },
        { "POST", "/v1/threads/{thread_id}/runs", "createRun" },
        { "GET", "/v1/threads/{thread_id}/runs/{run_id}", "getRun" },
        { "POST", "/v1/threads/{thread_id}/runs/{run_id}", "modifyRun" },
        { "POST", "/v1/threads/{thread_id}/runs/{run_id}/cancel", "cancelRun" },
        { "GET", "/v1/threads/{thread_id}/runs/{run_id}/steps", "listRunSteps" },
        { "GET", "/v1/threads/{thread_id}/runs/{run_id}/steps/{step_id}", "getRunStep" },
        { "POST", "/v1/threads/{thread_id}/runs/{run_id}/submit_tool_outputs", "submitToolOuputsToRun" },
    };

    [Theory]
    [MemberData(nameof(OpenAIOperations))]
    public async Task Every_openai_operation_is_documented_with_its_operation_id(string method, string path, string operationId)
    {
        var operation = Operation(await Document(), method, path);

        Assert.Equal(operationId, operation.Str("operationId"));
    }

    [Fact]
    public async Task Every_route_the_server_serves_under_v1_or_mock_is_documented_with_a_json_answer()
    {
        var document = await Document();
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/v1/", StringComparison.Ordinal) || raw.StartsWith("/_mock/", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Path: e.RoutePattern.RawText!.TrimEnd('/'))))
            .ToList();
        Assert.NotEmpty(routes);

        foreach (var (method, path) in routes)
        {
            var operation = Operation(document, method, path);
            Assert.True(operation.TryGetProperty("operationId", out _), $"{method} {path} has no operationId");
            var ok = operation.GetProperty("responses").GetProperty("200");
            Assert.True(ok.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var json) && json.TryGetProperty("schema", out _),
                $"{method} {path} documents no JSON schema for its 200 answer: {ok}");
        }
    }

    [Fact]
    public async Task The_unprefixed_alias_is_not_documented_twice()
    {
        var paths = (await Document()).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.DoesNotContain(paths, path => path.StartsWith("/assistants", StringComparison.Ordinal) || path.StartsWith("/threads", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> OperationsWithBodies => new()
    {
        { "POST", "/v1/assistants" },
        { "POST", "/v1/assistants/{assistant_id}" },
        { "POST", "/v1/threads" },
        { "POST", "/v1/threads/runs" },
        { "POST", "/v1/threads/{thread_id}" },
        { "POST", "/v1/threads/{thread_id}/messages" },
        { "POST", "/v1/threads/{thread_id}/messages/{message_id}" },
        { "POST", "/v1/threads/{thread_id}/runs" },
        { "POST", "/v1/threads/{thread_id}/runs/{run_id}" },
        { "POST", "/v1/threads/{thread_id}/runs/{run_id}/submit_tool_outputs" },
        { "POST", "/_mock/clock/advance" },
        { "POST", "/_mock/runs/{run_id}/transition" },
        { "PUT", "/_mock/config" },
        { "POST", "/_mock/faults/next" },
    };

    [Theory]
    [MemberData(nameof(OperationsWithBodies))]
    public async Task Operations_that_take_a_body_document_its_json_schema_in_snake_case(string method, string path)
    {
        var document = await Document();
        var body = Operation(document, method, path).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");

        var properties = Resolve(document, body).GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();

        Assert.NotEmpty(properties);
        Assert.All(properties, name => Assert.Matches(SnakeCase(), name));
    }

    [Theory]
    [InlineData("AssistantObject", "created_at")]
    [InlineData("RunObject", "required_action")]
    [InlineData("MessageObject", "thread_id")]
    [InlineData("CreateRunRequest", "assistant_id")]
    [InlineData("CreateAssistantRequest", "reasoning_effort")]
    public async Task Schemas_name_properties_as_the_wire_does(string schema, string property)
    {
        var document = await Document();

        var properties = document.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties");

        Assert.True(properties.TryGetProperty(property, out _), $"{schema} has no '{property}': {string.Join(", ", properties.EnumerateObject().Select(p => p.Name))}");
    }

    [Theory]
    [InlineData("POST", "/v1/threads/{thread_id}/runs")]
    [InlineData("POST", "/v1/threads/runs")]
    [InlineData("POST", "/v1/threads/{thread_id}/runs/{run_id}/submit_tool_outputs")]
    public async Task Streaming_operations_document_both_the_run_and_the_event_stream(string method, string path)
    {
        var document = await Document();
        var content = Operation(document, method, path).GetProperty("responses").GetProperty("200").GetProperty("content");

        var run = Resolve(document, content.GetProperty("application/json").GetProperty("schema"));
        Assert.True(run.GetProperty("properties").TryGetProperty("required_action", out _), $"the JSON answer is not a run: {run}");
        Assert.True(content.TryGetProperty("text/event-stream", out _), "text/event-stream is not documented");
    }

    [Theory]
    [InlineData("/v1/assistants", "limit,order,after,before")]
    [InlineData("/v1/threads/{thread_id}/messages", "limit,order,after,before,run_id")]
    [InlineData("/v1/threads/{thread_id}/runs", "limit,order,after,before")]
    [InlineData("/v1/threads/{thread_id}/runs/{run_id}/steps", "limit,order,after,before,include[]")]
    public async Task List_operations_document_their_query_parameters(string path, string names)
    {
        var operation = Operation(await Document(), "GET", path);

        var query = operation.GetProperty("parameters").EnumerateArray().Where(p => p.Str("in") == "query").Select(p => p.Str("name")).ToList();

        Assert.Equal(names.Split(','), query);
    }

    [Fact]
    public async Task Error_answers_are_documented_as_openais_envelope()
    {
        var document = await Document();

        var notFound = Operation(document, "GET", "/v1/threads/{thread_id}").GetProperty("responses").GetProperty("404")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema");

        Assert.True(Resolve(document, notFound).GetProperty("properties").TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Every_documented_request_property_is_one_the_server_accepts()
    {
        var document = await Document();
        var api = factory.Api();
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread();
        var message = (await api.Get($"/v1/threads/{thread}/messages")).Ok().Json.Ids().Single();
        var (_, runThread, run) = await api.StartRun();
        string Fill(string path) => path.Replace("{assistant_id}", assistant).Replace("{message_id}", message)
            .Replace("{thread_id}/runs/{run_id}", $"{runThread}/runs/{run}").Replace("{thread_id}", thread).Replace("{run_id}", run);

        foreach (var (method, path) in OperationsWithBodies.Select(row => ((string)row[0], (string)row[1])).Where(op => op.Item2.StartsWith("/v1/", StringComparison.Ordinal)))
        {
            var schema = Resolve(document, Operation(document, method, path).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
            foreach (var property in schema.GetProperty("properties").EnumerateObject())
            {
                // A null value is never an unknown parameter; the answer may refuse it for other reasons.
                var response = await api.Post(Fill(path), $$"""{"{{property.Name}}":null}""");
                if (response.Status != HttpStatusCode.OK)
                {
                    Assert.NotEqual("unknown_parameter", response.Json.GetProperty("error").GetProperty("code").GetString());
                }
            }
        }
    }

    [Fact]
    public async Task The_example_bodies_try_it_out_starts_from_are_accepted_once_their_ids_name_real_objects()
    {
        var document = await Document();
        var api = factory.Api();
        var assistant = await api.CreateAssistant(new { model = "gpt-4o", tools = new object[] { new { type = "function", function = new { name = "lookup" } } } });
        var thread = await api.CreateThread();
        var message = (await api.Get($"/v1/threads/{thread}/messages")).Ok().Json.Ids().Single();
        var waitingThread = await api.CreateThread();
        var run = (await api.CreateRun(waitingThread, new { assistant_id = assistant, parallel_tool_calls = false }, ("X-Mock-Scenario", "tool_call"))).Ok().Id;
        await api.Advance(2.5);
        var call = (await api.GetRun(waitingThread, run)).GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")[0].Str("id");
        string Fill(string text) => text.Replace("{assistant_id}", assistant).Replace("asst_abc123", assistant).Replace("call_abc123", call)
            .Replace("{thread_id}/runs/{run_id}", $"{waitingThread}/runs/{run}").Replace("{run_id}", run)
            .Replace("{thread_id}", thread).Replace("{message_id}", message);

        foreach (var (method, path) in OperationsWithBodies.Select(row => ((string)row[0], (string)row[1])))
        {
            var content = Operation(document, method, path).GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
            Assert.True(content.TryGetProperty("example", out var example), $"{method} {path} has no example body");

            var response = await api.Send(new HttpMethod(method), Fill(path), Fill(example.GetRawText()));

            Assert.True(response.Status == HttpStatusCode.OK, $"{method} {path} with {example} answered {(int)response.Status}: {response.Text}");
        }
        // The examples queued a fault and replaced the config: undo both for the other tests on this server.
        (await api.Delete("/_mock/faults/next")).Ok();
        (await api.Post("/_mock/reset")).Ok();
    }

    [Fact]
    public async Task Every_operation_has_a_one_line_summary()
    {
        foreach (var path in (await Document()).GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                Assert.True(operation.Value.TryGetProperty("summary", out var summary) && summary.GetString() is { Length: > 0 },
                    $"{operation.Name.ToUpperInvariant()} {path.Name} has no summary");
            }
        }
    }

    [Fact]
    public async Task Every_operation_has_a_description_and_every_parameter_says_what_it_takes()
    {
        foreach (var path in (await Document()).GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Assert.True(operation.Value.TryGetProperty("description", out var description) && description.GetString() is { Length: > 0 }, $"{name} has no description");
                foreach (var parameter in operation.Value.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : default)
                {
                    Assert.True(parameter.TryGetProperty("description", out var text) && text.GetString() is { Length: > 0 }, $"{name}: {parameter.Str("name")} has no description");
                }
            }
        }
    }

    [Fact]
    public async Task Create_thread_offers_only_the_json_body_it_has_an_example_for()
    {
        // The route also matches any or no content type; a */* entry in the document would be offered by Swagger UI
        // with a schema-generated body ("attachments": "string") that the server refuses.
        var content = Operation(await Document(), "POST", "/v1/threads").GetProperty("requestBody").GetProperty("content");

        Assert.Equal(["application/json"], content.EnumerateObject().Select(type => type.Name));
    }

    [Theory]
    [InlineData("GET", "/v1/assistants", "ListAssistantsResponse")]
    [InlineData("GET", "/v1/threads/{thread_id}/messages", "ListMessagesResponse")]
    [InlineData("GET", "/v1/threads/{thread_id}/runs", "ListRunsResponse")]
    [InlineData("GET", "/v1/threads/{thread_id}/runs/{run_id}/steps", "ListRunStepsResponse")]
    public async Task List_answers_are_named_as_in_openais_spec_not_after_the_generic_dotnet_type(string method, string path, string schema)
    {
        var document = await Document();

        var answer = Operation(document, method, path).GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");

        Assert.Equal($"#/components/schemas/{schema}", answer.Str("$ref"));
        Assert.DoesNotContain(document.GetProperty("components").GetProperty("schemas").EnumerateObject(), s => s.Name.EndsWith("ListObject", StringComparison.Ordinal));
        var error = Resolve(document, document.GetProperty("components").GetProperty("schemas").GetProperty("ErrorResponse").GetProperty("properties").GetProperty("error").GetProperty("allOf")[0]);
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("Error", out _), "the error body is not named Error, as in OpenAI's spec");
        Assert.True(error.GetProperty("properties").TryGetProperty("message", out _));
    }

    /// <summary>Each OpenAI operation's request body and 200 answer, with the schema names OpenAI's spec gives them for the same path and method.</summary>
    public static TheoryData<string, string, string, string> SpecSchemaNames => new()
    {
        { "GET", "/v1/assistants", "", "ListAssistantsResponse" },
        { "POST", "/v1/assistants", "CreateAssistantRequest", "AssistantObject" },
        { "GET", "/v1/assistants/{assistant_id}", "", "AssistantObject" },
        { "POST", "/v1/assistants/{assistant_id}", "ModifyAssistantRequest", "AssistantObject" },
        { "DELETE", "/v1/assistants/{assistant_id}", "", "DeleteAssistantResponse" },
        { "POST", "/v1/threads", "CreateThreadRequest", "ThreadObject" },
        { "POST", "/v1/threads/runs", "CreateThreadAndRunRequest", "RunObject" },
        { "GET", "/v1/threads/{thread_id}", "", "ThreadObject" },
        { "POST", "/v1/threads/{thread_id}", "ModifyThreadRequest", "ThreadObject" },
        { "DELETE", "/v1/threads/{thread_id}", "", "DeleteThreadResponse" },
        { "GET", "/v1/threads/{thread_id}/messages", "", "ListMessagesResponse" },
        { "POST", "/v1/threads/{thread_id}/messages", "CreateMessageRequest", "MessageObject" },
        { "GET", "/v1/threads/{thread_id}/messages/{message_id}", "", "MessageObject" },
        { "POST", "/v1/threads/{thread_id}/messages/{message_id}", "ModifyMessageRequest", "MessageObject" },
        { "DELETE", "/v1/threads/{thread_id}/messages/{message_id}", "", "DeleteMessageResponse" },
        { "GET", "/v1/threads/{thread_id}/runs", "", "ListRunsResponse" },
        { "POST", "/v1/threads/{thread_id}/runs", "CreateRunRequest", "RunObject" },
        { "GET", "/v1/threads/{thread_id}/runs/{run_id}", "", "RunObject" },
        { "POST", "/v1/threads/{thread_id}/runs/{run_id}", "ModifyRunRequest", "RunObject" },
        { "POST", "/v1/threads/{thread_id}/runs/{run_id}/cancel", "", "RunObject" },
        { "GET", "/v1/threads/{thread_id}/runs/{run_id}/steps", "", "ListRunStepsResponse" },
        { "GET", "/v1/threads/{thread_id}/runs/{run_id}/steps/{step_id}", "", "RunStepObject" },
        { "POST", "/v1/threads/{thread_id}/runs/{run_id}/submit_tool_outputs", "SubmitToolOutputsRunRequest", "RunObject" },
    };

    [Theory]
    [MemberData(nameof(SpecSchemaNames))]
    public async Task Each_operation_s_body_and_answer_carry_the_schema_names_of_openais_spec(string method, string path, string request, string answer)
    {
        var operation = Operation(await Document(), method, path);

        var body = operation.TryGetProperty("requestBody", out var requestBody)
            ? requestBody.GetProperty("content").GetProperty("application/json").GetProperty("schema").Str("$ref")
            : null;
        Assert.Equal(request.Length == 0 ? null : $"#/components/schemas/{request}", body);
        Assert.Equal($"#/components/schemas/{answer}",
            operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").Str("$ref"));
    }

    [Fact]
    public async Task A_deleted_object_s_answer_names_its_object_constant_per_resource()
    {
        var schemas = (await Document()).GetProperty("components").GetProperty("schemas");

        Assert.False(schemas.TryGetProperty("DeletedObject", out _));
        Assert.Equal(
            ["assistant.deleted", "thread.deleted", "thread.message.deleted"],
            new[] { "DeleteAssistantResponse", "DeleteThreadResponse", "DeleteMessageResponse" }
                .Select(name => schemas.GetProperty(name).GetProperty("properties").GetProperty("object").GetProperty("enum")[0].GetString()));
        Assert.All(new[] { "DeleteAssistantResponse", "DeleteThreadResponse", "DeleteMessageResponse" },
            name => Assert.Equal(["deleted", "id", "object"], schemas.GetProperty(name).GetProperty("required").EnumerateArray().Select(field => field.GetString()).Order()));
    }

    [Theory]
    [InlineData("RunObject", "usage", "RunCompletionUsage")]
    [InlineData("RunStepObject", "usage", "RunStepCompletionUsage")]
    [InlineData("SubmitToolOutputs", "tool_calls", "RunToolCallObject")]
    [InlineData("TextContent", "annotations", "MessageContentTextAnnotationsFileCitationObject")]
    [InlineData("StepFileSearch", "results", "RunStepDetailsToolCallsFileSearchResultObject")]
    [InlineData("StepFileSearch", "ranking_options", "RunStepDetailsToolCallsFileSearchRankingOptionsObject")]
    [InlineData("FileSearchOptions", "ranking_options", "FileSearchRankingOptions")]
    public async Task Parts_that_are_schemas_of_their_own_in_openais_spec_carry_its_names(string schema, string property, string name)
    {
        var field = (await Document()).GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").GetProperty(property);

        var target = field.TryGetProperty("items", out var items) ? items : field.TryGetProperty("allOf", out var allOf) ? allOf[0] : field;
        Assert.Equal($"#/components/schemas/{name}", target.Str("$ref"));
    }

    [Theory]
    [MemberData(nameof(OpenAIOperations))]
    public async Task Every_openai_operation_documents_the_rate_limit_and_the_injected_faults_it_can_answer(string method, string path, string operationId)
    {
        var document = await Document();
        var operation = Operation(document, method, path);
        var responses = operation.GetProperty("responses");

        Assert.All(new[] { "429", "500", "503" }, status =>
            Assert.True(Resolve(document, responses.GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema")).GetProperty("properties").TryGetProperty("error", out _),
                $"{operationId} documents no {status} in OpenAI's envelope"));
        Assert.True(responses.GetProperty("429").GetProperty("headers").TryGetProperty("retry-after", out _));
        Assert.Equal(operation.TryGetProperty("requestBody", out _), responses.TryGetProperty("413", out _));
    }

    [Theory]
    [InlineData("GET", "/_mock/clock")]
    [InlineData("POST", "/_mock/reset")]
    [InlineData("GET", "/healthz")]
    public async Task The_control_api_and_health_check_document_no_faults_they_never_answer(string method, string path)
    {
        var responses = Operation(await Document(), method, path).GetProperty("responses");

        Assert.All(new[] { "429", "500", "503" }, status => Assert.False(responses.TryGetProperty(status, out _), $"{method} {path} documents a {status}"));
    }

    [Theory]
    [InlineData("GET", "/v1/threads/{thread_id}", "Mock:Auth:ApiKeys")]
    [InlineData("GET", "/_mock/requests", "Mock:Admin:ApiKey")]
    [InlineData("PUT", "/_mock/config", "Mock:Admin:ApiKey")]
    public async Task Bad_input_and_a_refused_key_are_documented_in_openais_envelope(string method, string path, string setting)
    {
        var document = await Document();
        var responses = Operation(document, method, path).GetProperty("responses");

        Assert.Equal("Bad input, in OpenAI's error envelope.", responses.GetProperty("400").Str("description"));
        var unauthorized = responses.GetProperty("401");
        Assert.Contains(setting, unauthorized.Str("description"));
        Assert.True(Resolve(document, unauthorized.GetProperty("content").GetProperty("application/json").GetProperty("schema")).GetProperty("properties").TryGetProperty("error", out _));
    }

    [Fact]
    public async Task The_health_check_and_the_journal_filters_are_documented()
    {
        var document = await Document();

        Assert.Equal("getHealth", Operation(document, "GET", "/healthz").Str("operationId"));
        var filters = Operation(document, "GET", "/_mock/requests").GetProperty("parameters").EnumerateArray().Select(p => p.Str("name"));
        Assert.Equal(["path", "method", "status", "limit", "order"], filters);
    }

    [Theory]
    [InlineData("RunObject", "thread.run")]
    [InlineData("RunStepObject", "thread.run.step")]
    [InlineData("MessageObject", "thread.message")]
    [InlineData("ThreadObject", "thread")]
    [InlineData("AssistantObject", "assistant")]
    public async Task Wire_objects_require_every_field_they_always_write_and_name_their_object_constant(string schema, string constant)
    {
        var documented = (await Document()).GetProperty("components").GetProperty("schemas").GetProperty(schema);

        var properties = documented.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(properties, documented.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order());
        Assert.Equal([constant], documented.GetProperty("properties").GetProperty("object").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Theory]
    [InlineData("POST", "/v1/threads/{thread_id}/runs")]
    [InlineData("GET", "/v1/threads/{thread_id}/runs/{run_id}/steps")]
    [InlineData("GET", "/v1/threads/{thread_id}/runs/{run_id}/steps/{step_id}")]
    public async Task The_include_parameter_is_documented_with_its_one_value_and_the_content_it_adds_as_optional(string method, string path)
    {
        var document = await Document();

        var include = Assert.Single(Operation(document, method, path).GetProperty("parameters").EnumerateArray(), p => p.Str("name") == "include[]");
        Assert.Equal("query", include.Str("in"));
        // An array, as OpenAI's spec has it: Swagger UI offers a multi-select and sends include[]=… once per value.
        Assert.Equal("array", include.GetProperty("schema").Str("type"));
        Assert.Equal("step_details.tool_calls[*].file_search.results[*].content",
            Assert.Single(include.GetProperty("schema").GetProperty("items").GetProperty("enum").EnumerateArray()).GetString());
        var result = document.GetProperty("components").GetProperty("schemas").GetProperty("RunStepDetailsToolCallsFileSearchResultObject");
        Assert.Equal("array", result.GetProperty("properties").GetProperty("content").Str("type"));
        Assert.DoesNotContain("content", result.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()) : []);
    }

    [Theory]
    [InlineData("TruncationObject", "type")]
    [InlineData("FunctionObject", "name")]
    [InlineData("ToolObject", "type")]
    public async Task Parts_that_request_bodies_share_require_only_what_a_request_must_give(string schema, string required)
    {
        var documented = (await Document()).GetProperty("components").GetProperty("schemas").GetProperty(schema);

        Assert.Equal([required], documented.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory]
    [InlineData("RunStepObject", "type", "message_creation,tool_calls")]
    [InlineData("RunStepObject", "status", "in_progress,cancelled,failed,completed,expired")]
    [InlineData("LastError", "code", "server_error,rate_limit_exceeded,invalid_prompt")]
    [InlineData("CreateMessageRequest", "role", "user,assistant")]
    [InlineData("TruncationObject", "type", "auto,last_messages")]
    public async Task String_fields_with_a_fixed_set_of_values_list_them(string schema, string property, string values)
    {
        var field = (await Document()).GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").GetProperty(property);

        Assert.Equal(values.Split(','), field.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Every_field_says_what_it_takes_none_is_left_as_anything()
    {
        // A field read or written as raw JSON used to show as {} in the Schema tab, so a body built from it got 400 after 400.
        var untyped = new List<string>();
        foreach (var schema in (await Document()).GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            if (!schema.Value.TryGetProperty("properties", out var properties))
            {
                continue;
            }
            foreach (var property in properties.EnumerateObject())
            {
                var value = property.Value;
                if (!new[] { "type", "$ref", "oneOf", "anyOf", "allOf", "enum" }.Any(keyword => value.TryGetProperty(keyword, out _)))
                {
                    untyped.Add($"{schema.Name}.{property.Name}");
                }
            }
        }

        // What stays free-form on purpose: a journaled body is whatever the client sent; the search options and
        // file attributes are objects of the user's own keys.
        Assert.Equal(["FileSearchRankingOptions.hybrid_search", "JournalEntry.body", "RunStepDetailsToolCallsFileSearchResultObject.attributes"], untyped.Order());
    }

    [Theory]
    [InlineData("CreateRunRequest", "tool_choice", "none,auto,required", "function,file_search,code_interpreter")]
    [InlineData("CreateThreadAndRunRequest", "tool_choice", "none,auto,required", "function,file_search,code_interpreter")]
    [InlineData("RunObject", "tool_choice", "none,auto,required", "function,file_search,code_interpreter")]
    [InlineData("CreateAssistantRequest", "response_format", "auto", "text,json_object,json_schema")]
    [InlineData("AssistantObject", "response_format", "auto", "text,json_object,json_schema")]
    public async Task A_field_that_takes_a_word_or_an_object_documents_both_as_the_spec_does(string schema, string property, string words, string types)
    {
        var field = (await Document()).GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").GetProperty(property);

        var choices = field.GetProperty("oneOf").EnumerateArray().ToList();
        Assert.Equal(2, choices.Count);
        Assert.Equal(words.Split(','), choices[0].GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(types.Split(','), choices[1].GetProperty("properties").GetProperty("type").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Theory]
    [InlineData("CreateRunRequest", "tool_choice")]
    [InlineData("CreateThreadAndRunRequest", "response_format")]
    [InlineData("ModifyAssistantRequest", "response_format")]
    public async Task A_word_or_object_field_the_server_takes_as_null_lets_null_pass_one_choice(string schema, string property)
    {
        var field = (await Document()).GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").GetProperty(property);

        // OpenAPI 3.0: nullable has no effect without a type, so the oneOf wrapper's own flag lets no null through.
        var nullableChoices = field.GetProperty("oneOf").EnumerateArray()
            .Count(choice => choice.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean());
        Assert.Equal(1, nullableChoices);
    }

    [Fact]
    public async Task Message_content_tool_resources_and_attachments_document_their_parts()
    {
        var schemas = (await Document()).GetProperty("components").GetProperty("schemas");
        var message = schemas.GetProperty("CreateMessageRequest").GetProperty("properties");
        var content = message.GetProperty("content").GetProperty("oneOf").EnumerateArray().ToList();
        Assert.Equal("string", content[0].GetProperty("type").GetString());
        Assert.Equal(["text", "image_file", "image_url"],
            content[1].GetProperty("items").GetProperty("properties").GetProperty("type").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["code_interpreter", "file_search"], message.GetProperty("attachments").GetProperty("items").GetProperty("properties")
            .GetProperty("tools").GetProperty("items").GetProperty("properties").GetProperty("type").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.True(message.GetProperty("attachments").GetProperty("nullable").GetBoolean());

        var resources = schemas.GetProperty("CreateThreadRequest").GetProperty("properties").GetProperty("tool_resources").GetProperty("properties");
        Assert.Equal(20, resources.GetProperty("code_interpreter").GetProperty("properties").GetProperty("file_ids").GetProperty("maxItems").GetInt32());
        var fileSearch = resources.GetProperty("file_search").GetProperty("properties");
        Assert.Equal(1, fileSearch.GetProperty("vector_store_ids").GetProperty("maxItems").GetInt32());
        Assert.Equal("array", fileSearch.GetProperty("vector_stores").GetProperty("type").GetString());
        Assert.Equal("object", schemas.GetProperty("FunctionObject").GetProperty("properties").GetProperty("parameters").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("RunObject", "required_action")]
    [InlineData("RunObject", "last_error")]
    [InlineData("RunObject", "incomplete_details")]
    [InlineData("RunObject", "usage")]
    [InlineData("RunStepObject", "usage")]
    public async Task Objects_the_answers_may_write_as_null_are_documented_as_nullable(string schema, string property)
    {
        var documented = (await Document()).GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").GetProperty(property);

        Assert.True(documented.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean(), $"{schema}.{property}: {documented}");
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        using var response = await http.GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Swagger_ui_sends_the_beta_header_with_every_request()
    {
        using var response = await http.GetAsync("/swagger/index.js");
        var script = Regex.Unescape(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"RequestInterceptorFunction"":""\(request\) => \{ request\.headers\['OpenAI-Beta'\] = 'assistants=v2'; return request; \}", script);
        Assert.Contains("configObject.requestInterceptor = parseFunction(interceptors.RequestInterceptorFunction)", script);
    }

    [Fact]
    public async Task The_document_points_at_the_ui_with_the_beta_header_note()
    {
        var description = (await Document()).GetProperty("info").Str("description");

        Assert.Contains("OpenAI-Beta: assistants=v2", description);
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
