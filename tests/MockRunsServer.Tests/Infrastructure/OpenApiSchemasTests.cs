using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>
/// The validator against hand-written bodies modelled on the live answers in shared/spec/runs.md:
/// what the emulator will send must pass, and what it must not send must fail, naming the field.
/// </summary>
public sealed class OpenApiSchemasTests(ITestOutputHelper output)
{
    private const string AssistantId = "asst_abc123DEF456ghi789JKL0";
    private const string ThreadId = "thread_abc123DEF456ghi789JKL0";
    private const string MessageId = "msg_abc123DEF456ghi789JKL0";
    private const string RunId = "run_abc123DEF456ghi789JKL0";
    private const string StepId = "step_abc123DEF456ghi789JKL0";
    private const string CallId = "call_abc123DEF456ghi789JKL0";

    private const string Assistant = """
        {"id":"asst_abc123DEF456ghi789JKL0","object":"assistant","created_at":1761800000,"name":"Math tutor",
         "description":null,"model":"gpt-4o","instructions":"You are a personal math tutor.",
         "tools":[{"type":"code_interpreter"},
                  {"type":"file_search","file_search":{"ranking_options":{"ranker":"default_2024_08_21","score_threshold":0.0}}},
                  {"type":"function","function":{"name":"get_current_weather","description":"Weather in a city",
                   "parameters":{"type":"object","properties":{}},"strict":false}}],
         "top_p":1.0,"temperature":1.0,"reasoning_effort":null,"tool_resources":{},"metadata":{},"response_format":"auto"}
        """;

    private const string Thread = """
        {"id":"thread_abc123DEF456ghi789JKL0","object":"thread","created_at":1761800001,"metadata":{},"tool_resources":{}}
        """;

    private const string UserMessage = """
        {"id":"msg_abc123DEF456ghi789JKL0","object":"thread.message","created_at":1761800002,"assistant_id":null,
         "thread_id":"thread_abc123DEF456ghi789JKL0","run_id":null,"status":"completed","incomplete_details":null,
         "incomplete_at":null,"completed_at":1761800002,"role":"user",
         "content":[{"type":"text","text":{"value":"I need to solve 3x + 11 = 14.","annotations":[]}}],
         "attachments":[],"metadata":{}}
        """;

    private const string QueuedRun = """
        {"id":"run_abc123DEF456ghi789JKL0","object":"thread.run","created_at":1761800003,"assistant_id":"asst_abc123DEF456ghi789JKL0",
         "thread_id":"thread_abc123DEF456ghi789JKL0","status":"queued","started_at":null,"expires_at":1761800603,
         "cancelled_at":null,"failed_at":null,"completed_at":null,"required_action":null,"last_error":null,
         "model":"gpt-4o","instructions":null,"tools":[],"tool_resources":{},"metadata":{},
         "temperature":1.0,"top_p":1.0,"reasoning_effort":null,"max_completion_tokens":null,
         "max_prompt_tokens":null,"truncation_strategy":{"type":"auto","last_messages":null},
         "incomplete_details":null,"usage":null,"response_format":"auto","tool_choice":"auto",
         "parallel_tool_calls":true}
        """;

    private const string CompletedRun = """
        {"id":"run_abc123DEF456ghi789JKL0","object":"thread.run","created_at":1761800003,"assistant_id":"asst_abc123DEF456ghi789JKL0",
         "thread_id":"thread_abc123DEF456ghi789JKL0","status":"completed","started_at":1761800004,"expires_at":null,
         "cancelled_at":null,"failed_at":null,"completed_at":1761800006,"required_action":null,
         "last_error":null,"model":"gpt-4o","instructions":"You are a personal math tutor.",
         "tools":[{"type":"code_interpreter"}],"tool_resources":{},"metadata":{"user":"42"},
         "temperature":0.5,"top_p":1.0,"reasoning_effort":null,"max_completion_tokens":1000,
         "max_prompt_tokens":null,"truncation_strategy":{"type":"last_messages","last_messages":10},
         "incomplete_details":null,
         "usage":{"prompt_tokens":34,"completion_tokens":130,"total_tokens":164,
                  "prompt_token_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},
         "response_format":{"type":"json_object"},"tool_choice":{"type":"function","function":{"name":"get_current_weather"}},
         "parallel_tool_calls":false}
        """;

    private const string RunRequiringAction = """
        {"id":"run_abc123DEF456ghi789JKL0","object":"thread.run","created_at":1761800003,"assistant_id":"asst_abc123DEF456ghi789JKL0",
         "thread_id":"thread_abc123DEF456ghi789JKL0","status":"requires_action","started_at":1761800004,"expires_at":1761800603,
         "cancelled_at":null,"failed_at":null,"completed_at":null,
         "required_action":{"type":"submit_tool_outputs","submit_tool_outputs":{"tool_calls":[
           {"id":"call_abc123DEF456ghi789JKL0","type":"function",
            "function":{"name":"get_favorite_food_for_day_of_week","arguments":"{\"day_of_week\":\"Thursday\"}"}}]}},
         "last_error":null,"model":"gpt-4o","instructions":null,
         "tools":[{"type":"function","function":{"name":"get_favorite_food_for_day_of_week",
                   "parameters":{"type":"object","properties":{"day_of_week":{"type":"string"}}},"strict":false}}],
         "tool_resources":{},"metadata":{},"temperature":1.0,"top_p":1.0,"reasoning_effort":null,
         "max_completion_tokens":null,"max_prompt_tokens":null,"truncation_strategy":{"type":"auto","last_messages":null},
         "incomplete_details":null,"usage":null,"response_format":"auto","tool_choice":"required",
         "parallel_tool_calls":true}
        """;

    private const string ToolCallStep = """
        {"id":"step_abc123DEF456ghi789JKL0","object":"thread.run.step","created_at":1761800005,"run_id":"run_abc123DEF456ghi789JKL0",
         "assistant_id":"asst_abc123DEF456ghi789JKL0","thread_id":"thread_abc123DEF456ghi789JKL0","type":"tool_calls","status":"completed",
         "cancelled_at":null,"completed_at":1761800008,"expires_at":null,"expired_at":null,"failed_at":null,
         "last_error":null,
         "step_details":{"type":"tool_calls","tool_calls":[
           {"id":"call_abc123DEF456ghi789JKL0","type":"function",
            "function":{"name":"get_favorite_food_for_day_of_week","arguments":"{\"day_of_week\":\"Thursday\"}","output":"tacos"}},
           {"id":"call_def456GHI789jkl012MNO3","type":"code_interpreter",
            "code_interpreter":{"input":"print(1+1)","outputs":[{"type":"logs","logs":"2"}]}}]},
         "metadata":{},"usage":{"prompt_tokens":80,"completion_tokens":20,"total_tokens":100}}
        """;

    private const string MessageCreationStep = """
        {"id":"step_abc123DEF456ghi789JKL0","object":"thread.run.step","created_at":1761800005,"run_id":"run_abc123DEF456ghi789JKL0",
         "assistant_id":"asst_abc123DEF456ghi789JKL0","thread_id":"thread_abc123DEF456ghi789JKL0","type":"message_creation","status":"in_progress",
         "cancelled_at":null,"completed_at":null,"expires_at":1761800603,"expired_at":null,"failed_at":null,
         "last_error":null,"step_details":{"type":"message_creation","message_creation":{"message_id":"msg_abc123DEF456ghi789JKL0"}},
         "metadata":{},"usage":null}
        """;

    private const string ErrorEnvelope = """
        {"error":{"message":"No thread found with id 'thread_abc'.","type":"invalid_request_error","param":null,"code":null}}
        """;

    [Fact]
    public void The_spec_is_looked_for_in_shared_openapi_beside_the_repository()
    {
        var root = Directory.CreateTempSubdirectory("spec-location-");
        try
        {
            var binaries = Directory.CreateDirectory(Path.Combine(root.FullName, "main", "tests", "bin"));
            var missing = SpecLocation.Find(binaries.FullName, overridden: null, ceiling: root.FullName);
            Assert.Null(missing.Path);
            Assert.Contains("shared/openapi/openai-openapi.yaml", missing.Reason);
            Assert.Contains(binaries.FullName, missing.Reason);

            var spec = Path.Combine(root.FullName, "shared", "openapi", "openai-openapi.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(spec)!);
            File.WriteAllText(spec, "openapi: 3.1.0\n");
            var found = SpecLocation.Find(binaries.FullName, overridden: null, ceiling: root.FullName);
            Assert.Equal(spec, found.Path);
            Assert.Null(found.Reason);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_spec_path_named_by_the_override_variable_that_does_not_exist_gives_a_reason_to_skip()
    {
        var (path, reason) = SpecLocation.Find(AppContext.BaseDirectory, "/nowhere/openai-openapi.yaml");

        Assert.Null(path);
        Assert.Contains(SpecLocation.OverrideVariable, reason);
        Assert.Contains("/nowhere/openai-openapi.yaml", reason);
    }

    [Fact]
    public void Spec_tests_are_skipped_with_the_reason_exactly_when_the_spec_is_missing()
    {
        var fact = new SpecFactAttribute();
        var theory = new SpecTheoryAttribute();

        Assert.Equal(OpenApiSchemas.UnavailableReason, fact.Skip);
        Assert.Equal(OpenApiSchemas.UnavailableReason, theory.Skip);
        Assert.Equal(OpenApiSchemas.IsAvailable, fact.Skip is null);
    }

    [Fact]
    public void Yaml_plain_scalars_are_typed_by_the_core_schema_and_quoted_ones_stay_strings()
    {
        var node = YamlJson.Parse("""
            int: 42
            negative: -3
            float: 1.5
            yes_is_text: yes
            bool: true
            tilde: ~
            empty:
            quoted_number: "200"
            single_quoted: '1'
            date_like: 2024-10-01
            list: [1, "x", null]
            literal: |
              two
              lines
            after: x
            """)!;

        Assert.Equal("""
            {"int":42,"negative":-3,"float":1.5,"yes_is_text":"yes","bool":true,"tilde":null,"empty":null,"quoted_number":"200","single_quoted":"1","date_like":"2024-10-01","list":[1,"x",null],"literal":"two\nlines\n","after":"x"}
            """, node.ToJsonString());
    }

    [Fact]
    public void Yaml_aliases_copy_their_anchored_node()
    {
        var node = YamlJson.Parse("base: &shared {type: string}\nname: *shared\n")!;

        Assert.Equal("""{"base":{"type":"string"},"name":{"type":"string"}}""", node.ToJsonString());
    }

    [Fact]
    public void A_whitespace_only_first_line_of_a_block_scalar_reads_as_libyaml_reads_it()
    {
        // The shape of StopConfiguration's example in the spec, which YamlDotNet alone rejects.
        var node = YamlJson.Parse("schema:\n  example: |+\n      \n  nullable: true\n")!;

        Assert.Equal("\n", node["schema"]!["example"]!.GetValue<string>());
        Assert.True(node["schema"]!["nullable"]!.GetValue<bool>());
    }

    [Fact]
    public void Nullable_true_becomes_a_null_type_and_a_null_enum_value()
    {
        var schema = JsonNode.Parse("""{"type":"string","enum":["a"],"nullable":true}""")!;

        OpenApiSchemaRewriter.RewriteSchema(schema, "#");

        Assert.Equal("""{"type":["string","null"],"enum":["a",null]}""", schema.ToJsonString());
    }

    [Fact]
    public void A_nullable_member_of_allOf_makes_the_whole_schema_nullable()
    {
        var schema = JsonNode.Parse("""{"description":"d","allOf":[{"$ref":"#/components/schemas/X"},{"nullable":true}]}""")!;

        OpenApiSchemaRewriter.RewriteSchema(schema, "#");

        Assert.Equal("""{"description":"d","anyOf":[{"allOf":[{"$ref":"#/components/schemas/X"}]},{"type":"null"}]}""",
            schema.ToJsonString());
    }

    [SpecFact]
    public void An_assistant_as_the_live_service_returns_it_matches_the_AssistantObject_schema() =>
        OpenApiSchemas.AssertMatchesSchema("AssistantObject", Assistant);

    [SpecTheory]
    [InlineData("{}")]
    [InlineData("""{"code_interpreter":{"file_ids":[]}}""")]
    [InlineData("""{"file_search":{"vector_store_ids":["vs_1"]}}""")]
    public void A_thread_with_any_live_tool_resources_matches_the_ThreadObject_schema(string toolResources) =>
        OpenApiSchemas.AssertMatchesSchema("ThreadObject", With(Thread, "tool_resources", JsonNode.Parse(toolResources)));

    [SpecFact]
    public void A_user_message_matches_the_MessageObject_schema() =>
        OpenApiSchemas.AssertMatchesSchema("MessageObject", UserMessage);

    [SpecFact]
    public void An_assistant_message_being_written_with_no_content_yet_matches_the_MessageObject_schema()
    {
        var message = JsonNode.Parse(UserMessage)!;
        message["role"] = "assistant";
        message["assistant_id"] = AssistantId;
        message["run_id"] = RunId;
        message["status"] = "in_progress";
        message["completed_at"] = null;
        message["content"] = new JsonArray();

        OpenApiSchemas.AssertMatchesSchema("MessageObject", message);
    }

    [SpecFact]
    public void A_queued_run_object_matches_the_RunObject_schema() =>
        OpenApiSchemas.AssertMatchesSchema("RunObject", QueuedRun);

    [SpecFact]
    public void A_complete_run_object_matches_the_RunObject_schema() =>
        OpenApiSchemas.AssertMatchesSchema("RunObject", CompletedRun);

    [SpecFact]
    public void A_run_waiting_for_tool_outputs_matches_the_RunObject_schema() =>
        OpenApiSchemas.AssertMatchesSchema("RunObject", RunRequiringAction);

    [SpecFact]
    public void A_failed_run_with_last_error_matches_the_RunObject_schema()
    {
        var run = JsonNode.Parse(QueuedRun)!;
        run["status"] = "failed";
        run["expires_at"] = null;
        run["failed_at"] = 1761800010;
        run["last_error"] = new JsonObject { ["code"] = "server_error", ["message"] = "Sorry, something went wrong." };

        OpenApiSchemas.AssertMatchesSchema("RunObject", run);
    }

    [SpecFact]
    public void A_run_step_with_tool_calls_and_both_expiry_fields_matches_the_RunStepObject_schema() =>
        OpenApiSchemas.AssertMatchesSchema("RunStepObject", ToolCallStep);

    [SpecFact]
    public void A_message_creation_step_in_progress_matches_the_RunStepObject_schema() =>
        OpenApiSchemas.AssertMatchesSchema("RunStepObject", MessageCreationStep);

    [SpecFact]
    public void A_page_of_runs_matches_the_listRuns_response()
    {
        var page = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(JsonNode.Parse(CompletedRun), JsonNode.Parse(QueuedRun)),
            ["first_id"] = RunId,
            ["last_id"] = RunId,
            ["has_more"] = true,
        };

        OpenApiSchemas.AssertMatchesOperationResponse("listRuns", page.ToJsonString());
    }

    [SpecTheory]
    [InlineData("listAssistants")]
    [InlineData("listMessages")]
    [InlineData("listRuns")]
    [InlineData("listRunSteps")]
    public void An_empty_page_with_null_first_and_last_ids_matches_every_list_response(string operationId) =>
        OpenApiSchemas.AssertMatchesOperationResponse(operationId,
            """{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}""");

    [SpecTheory]
    [InlineData("deleteAssistant", AssistantId, "assistant.deleted")]
    [InlineData("deleteThread", ThreadId, "thread.deleted")]
    [InlineData("deleteMessage", MessageId, "thread.message.deleted")]
    public void A_deleted_object_matches_its_delete_response(string operationId, string id, string objectType) =>
        OpenApiSchemas.AssertMatchesOperationResponse(operationId, $$$"""{"id":"{{{id}}}","object":"{{{objectType}}}","deleted":true}""");

    [SpecFact]
    public void A_delete_answer_with_another_objects_type_fails() =>
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesOperationResponse("deleteThread",
            """{"id":"thread_abc123DEF456ghi789JKL0","object":"assistant.deleted","deleted":true}"""), "$.object", "thread.deleted");

    [SpecFact]
    public void An_error_envelope_matches_the_ErrorResponse_schema() =>
        OpenApiSchemas.AssertMatchesSchema("ErrorResponse", ErrorEnvelope);

    [SpecTheory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(500)]
    public void An_error_answer_of_an_operation_is_checked_against_the_error_envelope(int status)
    {
        Assert.Equal("ErrorResponse", OpenApiSchemas.ResponseSchemaFor("getRun", status).Name);
        OpenApiSchemas.AssertMatchesOperationResponse("getRun", ErrorEnvelope, status);
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesOperationResponse("getRun",
            """{"message":"No run found with id 'run_abc'."}""", status), "error");
    }

    [SpecFact]
    public void An_error_envelope_without_param_and_code_fails_naming_them() =>
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesSchema("ErrorResponse",
            """{"error":{"message":"Bad","type":"invalid_request_error"}}"""), "$.error", "param", "code");

    [SpecFact]
    public void A_run_missing_a_required_field_fails_naming_that_field() =>
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesSchema("RunObject", Without(CompletedRun, "status")),
            "Required properties", "\"status\"");

    [SpecFact]
    public void A_run_with_a_string_created_at_fails_naming_the_field_and_the_value() =>
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesSchema("RunObject", With(CompletedRun, "created_at", "x")),
            "$.created_at", "\"integer\"", "got \"x\"");

    [SpecFact]
    public void A_run_with_an_unknown_status_fails_naming_the_field_and_the_allowed_values() =>
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesSchema("RunObject", With(QueuedRun, "status", "bogus")),
            "$.status", "got \"bogus\"", "\"requires_action\"", "#/components/schemas/RunObject/properties/status");

    [SpecFact]
    public void A_run_with_an_unknown_tool_choice_names_the_allowed_strings_not_the_object_form() =>
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesSchema("RunObject", With(QueuedRun, "tool_choice", "sometimes")),
            "$.tool_choice", "\"none\", \"auto\", \"required\"");

    [SpecFact]
    public void Every_error_is_listed_with_its_JSON_path()
    {
        var page = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(
                JsonNode.Parse(Without(QueuedRun, "id")),
                JsonNode.Parse(With(CompletedRun, "created_at", "x"))),
            ["first_id"] = 7,
            ["last_id"] = RunId,
            ["has_more"] = false,
        };

        var failure = Assert.Throws<SchemaValidationException>(() =>
            OpenApiSchemas.AssertMatchesOperationResponse("listRuns", page.ToJsonString()));
        output.WriteLine(failure.Message);

        Assert.Equal(new[] { "$.data[0]", "$.data[1].created_at", "$.first_id" }, failure.Errors.Select(e => e.Path).Order());
        Assert.Contains("\"id\"", failure.Errors.Single(e => e.Path == "$.data[0]").Message);
    }

    [SpecFact]
    public void A_bad_field_inside_a_tool_call_is_reported_without_the_variants_it_is_not()
    {
        var step = JsonNode.Parse(ToolCallStep)!;
        step["step_details"]!["tool_calls"]![0]!["function"]!.AsObject().Remove("output");

        var failure = Assert.Throws<SchemaValidationException>(() => OpenApiSchemas.AssertMatchesSchema("RunStepObject", step));
        output.WriteLine(failure.Message);

        var error = Assert.Single(failure.Errors);
        Assert.Equal("$.step_details.tool_calls[0].function", error.Path);
        Assert.Contains("\"output\"", error.Message);
    }

    [SpecFact]
    public void Metadata_with_a_number_value_fails_naming_the_key() =>
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesSchema("ThreadObject",
            With(Thread, "metadata", new JsonObject { ["user id"] = 42 })), "$.metadata['user id']", "\"string\"");

    [SpecFact]
    public void Properties_the_spec_does_not_name_are_allowed()
    {
        var run = JsonNode.Parse(CompletedRun)!;
        run["something_new"] = new JsonObject { ["nested"] = true };

        OpenApiSchemas.AssertMatchesSchema("RunObject", run);
    }

    [SpecFact]
    public void Validations_from_many_threads_at_once_all_get_their_own_answer()
    {
        var bogus = JsonNode.Parse(With(QueuedRun, "status", "bogus"))!;
        var good = JsonNode.Parse(QueuedRun)!;
        var wrong = 0;

        Parallel.For(0, 200, i =>
        {
            var errors = OpenApiSchemas.Validate("RunObject", i % 2 == 0 ? good : bogus);
            if (errors.Count != i % 2 || (errors.Count == 1 && errors[0].Path != "$.status"))
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
    }

    [SpecFact]
    public void A_JsonElement_body_is_validated_like_text()
    {
        using var document = JsonDocument.Parse(QueuedRun);

        OpenApiSchemas.AssertMatchesSchema("RunObject", document.RootElement);
        OpenApiSchemas.AssertMatchesOperationResponse("getRun", document.RootElement);
        OpenApiSchemas.AssertMatchesResponse("GET", $"/v1/threads/{ThreadId}/runs/{RunId}", document.RootElement);
    }

    [SpecFact]
    public void A_body_that_is_not_JSON_fails_with_the_parse_error() =>
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesSchema("RunObject", "<html>oops</html>"), "not JSON", "<html>");

    [SpecFact]
    public void An_unknown_schema_name_is_an_error_in_the_test_not_a_pass()
    {
        var error = Assert.Throws<ArgumentException>(() => OpenApiSchemas.AssertMatchesSchema("RunObjekt", QueuedRun));

        Assert.Contains("RunObjekt", error.Message);
    }

    [SpecFact]
    public void A_run_answer_checked_against_a_thread_operation_fails() =>
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesOperationResponse("getThread", QueuedRun),
            "ThreadObject", "$.object", "\"thread\"");

    public static TheoryData<string, string, string, string> ServedOperations => new()
    {
        { "listAssistants", "GET", "/assistants", "ListAssistantsResponse" },
        { "createAssistant", "POST", "/assistants", "AssistantObject" },
        { "getAssistant", "GET", "/assistants/{assistant_id}", "AssistantObject" },
        { "modifyAssistant", "POST", "/assistants/{assistant_id}", "AssistantObject" },
        { "deleteAssistant", "DELETE", "/assistants/{assistant_id}", "DeleteAssistantResponse" },
        { "createThread", "POST", "/threads", "ThreadObject" },
        { "createThreadAndRun", "POST", "/threads/runs", "RunObject" },
        { "getThread", "GET", "/threads/{thread_id}", "ThreadObject" },
        { "modifyThread", "POST", "/threads/{thread_id}", "ThreadObject" },
        { "deleteThread", "DELETE", "/threads/{thread_id}", "DeleteThreadResponse" },
        { "listMessages", "GET", "/threads/{thread_id}/messages", "ListMessagesResponse" },
        { "createMessage", "POST", "/threads/{thread_id}/messages", "MessageObject" },
        { "getMessage", "GET", "/threads/{thread_id}/messages/{message_id}", "MessageObject" },
        { "modifyMessage", "POST", "/threads/{thread_id}/messages/{message_id}", "MessageObject" },
        { "deleteMessage", "DELETE", "/threads/{thread_id}/messages/{message_id}", "DeleteMessageResponse" },
        { "listRuns", "GET", "/threads/{thread_id}/runs", "ListRunsResponse" },
        { "createRun", "POST", "/threads/{thread_id}/runs", "RunObject" },
        { "getRun", "GET", "/threads/{thread_id}/runs/{run_id}", "RunObject" },
        { "modifyRun", "POST", "/threads/{thread_id}/runs/{run_id}", "RunObject" },
        { "cancelRun", "POST", "/threads/{thread_id}/runs/{run_id}/cancel", "RunObject" },
        { "listRunSteps", "GET", "/threads/{thread_id}/runs/{run_id}/steps", "ListRunStepsResponse" },
        { "getRunStep", "GET", "/threads/{thread_id}/runs/{run_id}/steps/{step_id}", "RunStepObject" },
        { "submitToolOuputsToRun", "POST", "/threads/{thread_id}/runs/{run_id}/submit_tool_outputs", "RunObject" },
    };

    [SpecTheory]
    [MemberData(nameof(ServedOperations))]
    public void Every_operation_the_server_serves_resolves_to_its_response_schema(
        string operationId, string method, string pathTemplate, string schemaName)
    {
        Assert.Equal(new OpenApiOperation(operationId, method, pathTemplate), OpenApiSchemas.FindOperation(operationId));
        Assert.Equal(operationId, OpenApiSchemas.FindOperation(method, pathTemplate).OperationId);
        Assert.Equal(schemaName, OpenApiSchemas.ResponseSchemaFor(operationId).Name);
        Assert.Empty(OpenApiSchemas.Validate(schemaName, JsonNode.Parse(SampleOf(schemaName))));
    }

    [SpecTheory]
    [InlineData("POST", "/v1/threads/runs", "createThreadAndRun")]
    [InlineData("POST", "/v1/threads/thread_abc/runs", "createRun")]
    [InlineData("GET", "/threads/thread_abc/runs/run_abc/steps?limit=2&include[]=x", "listRunSteps")]
    [InlineData("post", "/v1/threads/thread_abc/runs/run_abc/submit_tool_outputs/", "submitToolOuputsToRun")]
    [InlineData("DELETE", "/v1/assistants/asst_abc", "deleteAssistant")]
    public void Operations_are_found_from_a_concrete_request_path(string method, string path, string operationId) =>
        Assert.Equal(operationId, OpenApiSchemas.FindOperation(method, path).OperationId);

    [SpecFact]
    public void An_inline_response_schema_under_a_templated_path_is_validated_too()
    {
        // No Assistants operation has one; deleteEval (/evals/{eval_id}) keeps the code path honest.
        Assert.Null(OpenApiSchemas.ResponseSchemaFor("deleteEval").Name);

        OpenApiSchemas.AssertMatchesOperationResponse("deleteEval", """{"object":"eval.deleted","deleted":true,"eval_id":"eval_1"}""");
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesOperationResponse("deleteEval",
            """{"object":"eval.deleted","deleted":"yes","eval_id":"eval_1"}"""), "$.deleted", "inline schema");
    }

    [SpecFact]
    public void An_operation_the_spec_lacks_is_an_error_in_the_test()
    {
        Assert.Throws<ArgumentException>(() => OpenApiSchemas.FindOperation("listThreads"));
        Assert.Throws<ArgumentException>(() => OpenApiSchemas.FindOperation("GET", "/threads"));
    }

    public static TheoryData<string, string> StreamEvents => new()
    {
        { "thread.created", Thread },
        { "thread.run.created", QueuedRun },
        { "thread.run.requires_action", RunRequiringAction },
        { "thread.run.completed", CompletedRun },
        { "thread.run.step.created", MessageCreationStep },
        { "thread.run.step.completed", ToolCallStep },
        { "thread.message.created", UserMessage },
        {
            "thread.message.delta",
            """{"id":"msg_abc123DEF456ghi789JKL0","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"Hello","annotations":[]}}]}}"""
        },
        {
            "thread.message.delta",
            """{"id":"msg_abc123DEF456ghi789JKL0","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":" world"}}]}}"""
        },
        {
            "thread.run.step.delta",
            """{"id":"step_abc123DEF456ghi789JKL0","object":"thread.run.step.delta","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":0,"id":"call_abc123DEF456ghi789JKL0","type":"function","function":{"name":"get_current_weather","arguments":"","output":null}}]}}}"""
        },
        {
            "thread.run.step.delta",
            """{"id":"step_abc123DEF456ghi789JKL0","object":"thread.run.step.delta","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":0,"type":"function","function":{"arguments":"{\""}}]}}}"""
        },
        { "error", ErrorEnvelope },
        { "done", "[DONE]" },
    };

    [SpecTheory]
    [MemberData(nameof(StreamEvents))]
    public void Stream_event_data_matches_the_schema_of_its_event(string eventName, string data) =>
        OpenApiSchemas.AssertMatchesStreamEvent(eventName, data);

    [SpecFact]
    public void Every_assistant_stream_event_of_runs_md_is_known()
    {
        string[] expected =
        [
            "thread.created",
            "thread.run.created", "thread.run.queued", "thread.run.in_progress", "thread.run.requires_action",
            "thread.run.completed", "thread.run.incomplete", "thread.run.failed", "thread.run.cancelling",
            "thread.run.cancelled", "thread.run.expired",
            "thread.run.step.created", "thread.run.step.in_progress", "thread.run.step.delta",
            "thread.run.step.completed", "thread.run.step.failed", "thread.run.step.cancelled", "thread.run.step.expired",
            "thread.message.created", "thread.message.in_progress", "thread.message.delta",
            "thread.message.completed", "thread.message.incomplete",
            "error", "done",
        ];

        Assert.Equal(expected.Order(), OpenApiSchemas.StreamEventNames.Order());
    }

    [SpecFact]
    public void A_run_sent_as_a_message_event_fails() =>
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesStreamEvent("thread.message.completed", CompletedRun),
            "MessageObject", "$.object");

    [SpecFact]
    public void The_error_event_wants_the_wrapped_envelope_not_a_bare_error() =>
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesStreamEvent("error",
                """{"message":"Sorry","type":"server_error","param":null,"code":null}"""),
            "ErrorResponse", "\"error\"");

    [SpecFact]
    public void The_done_event_wants_the_literal_DONE() =>
        AssertFailsNaming(() => OpenApiSchemas.AssertMatchesStreamEvent("done", "{}"), "[DONE]");

    [SpecFact]
    public void An_unknown_event_name_is_an_error_listing_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => OpenApiSchemas.AssertMatchesStreamEvent("thread.run.paused", QueuedRun));

        Assert.Contains("thread.run.requires_action", error.Message);
    }

    [SpecFact]
    public void A_whole_event_stream_is_checked_event_by_event_and_its_events_returned()
    {
        var body = string.Join("", Sse("thread.run.created", QueuedRun), Sse("thread.run.step.created", MessageCreationStep),
            Sse("thread.run.completed", CompletedRun), "event: done\r\ndata: [DONE]\r\n\r\n");

        var events = OpenApiSchemas.AssertMatchesEventStream(body);

        Assert.Equal(["thread.run.created", "thread.run.step.created", "thread.run.completed", "done"], events.Select(e => e.Event));
        Assert.Equal("[DONE]", events[^1].Data);
    }

    [SpecFact]
    public void An_event_stream_failure_names_each_bad_event_by_position()
    {
        var body = string.Join("", Sse("thread.run.created", QueuedRun), Sse("thread.run.queued", With(QueuedRun, "status", "bogus")),
            Sse("thread.run.paused", QueuedRun), Sse("done", "[DONE]"));

        var failure = Assert.Throws<SchemaValidationException>(() => OpenApiSchemas.AssertMatchesEventStream(body));
        output.WriteLine(failure.Message);

        Assert.Equal(["event[1] thread.run.queued $.status", "event[2] thread.run.paused"], failure.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Server_sent_events_are_split_as_the_SSE_format_reads_them()
    {
        var events = ServerSentEvent.Parse(": keep-alive\n\nevent: a\ndata: {\"x\":\ndata:1}\n\ndata: no name\n\nevent: b\ndata:last");

        Assert.Equal(
            [new ServerSentEvent("a", "{\"x\":\n1}"), new ServerSentEvent("message", "no name"), new ServerSentEvent("b", "last")],
            events);
    }

    [SpecFact]
    public void Each_relaxation_of_the_spec_is_listed_with_its_reason()
    {
        foreach (var relaxation in OpenApiSchemas.Relaxations)
        {
            output.WriteLine(relaxation);
        }

        Assert.All(OpenApiSchemas.Relaxations, r => Assert.Contains("runs.md", r));
        Assert.Contains(OpenApiSchemas.Relaxations, r => r.StartsWith("ListRunsResponse.first_id", StringComparison.Ordinal));
    }

    private static string SampleOf(string schemaName) => schemaName switch
    {
        "AssistantObject" => Assistant,
        "ThreadObject" => Thread,
        "MessageObject" => UserMessage,
        "RunObject" => CompletedRun,
        "RunStepObject" => ToolCallStep,
        "DeleteAssistantResponse" => """{"id":"asst_abc123DEF456ghi789JKL0","object":"assistant.deleted","deleted":true}""",
        "DeleteThreadResponse" => """{"id":"thread_abc123DEF456ghi789JKL0","object":"thread.deleted","deleted":true}""",
        "DeleteMessageResponse" => """{"id":"msg_abc123DEF456ghi789JKL0","object":"thread.message.deleted","deleted":true}""",
        "ListAssistantsResponse" => Page(Assistant, AssistantId),
        "ListMessagesResponse" => Page(UserMessage, MessageId),
        "ListRunsResponse" => Page(QueuedRun, RunId),
        "ListRunStepsResponse" => Page(MessageCreationStep, StepId),
        _ => throw new ArgumentOutOfRangeException(nameof(schemaName), schemaName, "No sample for this schema."),
    };

    private static string Page(string item, string id) =>
        $$$"""{"object":"list","data":[{{{item}}}],"first_id":"{{{id}}}","last_id":"{{{id}}}","has_more":false}""";

    private static string Sse(string eventName, string data) =>
        $"event: {eventName}\ndata: {(data.StartsWith('{') ? JsonNode.Parse(data)!.ToJsonString() : data)}\n\n";

    private static string With(string json, string property, JsonNode? value)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node[property] = value;
        return node.ToJsonString();
    }

    private static string Without(string json, string property)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        Assert.True(node.Remove(property), $"The sample has no {property} to remove.");
        return node.ToJsonString();
    }

    private void AssertFailsNaming(Action check, params string[] expectedParts)
    {
        var failure = Assert.ThrowsAny<XunitException>(check);
        output.WriteLine(failure.Message);
        Assert.IsType<SchemaValidationException>(failure);
        foreach (var part in expectedParts)
        {
            Assert.Contains(part, failure.Message);
        }
    }
}
