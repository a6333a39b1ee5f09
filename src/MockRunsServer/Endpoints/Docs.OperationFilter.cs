using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace MockRunsServer.Endpoints;

public static partial class Docs
{
    /// <summary>
    /// What the endpoint metadata cannot say: the list query parameters (handlers read them with OpenAI's
    /// validation), the scenario header, the event-stream answer of streaming calls, and the error envelope.
    /// </summary>
    public sealed class OperationFilter : IOperationFilter
    {
        private static readonly string[] Lists = ["listAssistants", "listMessages", "listRuns", "listRunSteps"];

        /// <summary>Bodies "Try it out" starts from: valid as they stand, once the example ids name real objects
        /// (the schema-generated default would fill every field with placeholders the validation refuses).</summary>
        public static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
        {
            ["createAssistant"] = """{"model":"gpt-4o","name":"Helper","instructions":"You are a helpful assistant."}""",
            ["modifyAssistant"] = """{"name":"Renamed helper"}""",
            ["createThread"] = """{"messages":[{"role":"user","content":"Hello!"}]}""",
            ["modifyThread"] = """{"metadata":{"user":"u-123"}}""",
            ["createMessage"] = """{"role":"user","content":"What can you do?"}""",
            ["modifyMessage"] = """{"metadata":{"seen":"yes"}}""",
            ["createRun"] = """{"assistant_id":"asst_abc123"}""",
            ["createThreadAndRun"] = """{"assistant_id":"asst_abc123","thread":{"messages":[{"role":"user","content":"Hello!"}]}}""",
            ["modifyRun"] = """{"metadata":{"seen":"yes"}}""",
            ["submitToolOuputsToRun"] = """{"tool_outputs":[{"tool_call_id":"call_abc123","output":"42"}]}""",
            ["mockAdvanceClock"] = """{"seconds":1}""",
            ["mockTransitionRun"] = """{"status":"cancelling"}""",
            ["mockPutConfig"] = """{"timings":{"queued":"00:00:00.500","in_progress":"00:00:02","cancelling":"00:00:00.500","expiry":"00:10:00","jitter":0},"outcomes":{"complete":90,"fail":5,"incomplete":3,"rate_limit":2}}""",
            ["mockQueueFaults"] = """{"fault":"500","count":1}""",
        };

        /// <summary>The one line Swagger UI shows beside each route.</summary>
        public static readonly Dictionary<string, string> Summaries = new(StringComparer.Ordinal)
        {
            ["createAssistant"] = "Create an assistant",
            ["listAssistants"] = "List assistants",
            ["getAssistant"] = "Retrieve an assistant",
            ["modifyAssistant"] = "Modify an assistant",
            ["deleteAssistant"] = "Delete an assistant",
            ["createThread"] = "Create a thread, with its first messages",
            ["getThread"] = "Retrieve a thread",
            ["modifyThread"] = "Modify a thread",
            ["deleteThread"] = "Delete a thread with its messages and runs",
            ["createMessage"] = "Add a message to a thread",
            ["listMessages"] = "List a thread's messages",
            ["getMessage"] = "Retrieve a message",
            ["modifyMessage"] = "Modify a message's metadata",
            ["deleteMessage"] = "Delete a message",
            ["createRun"] = "Create a run on a thread",
            ["createThreadAndRun"] = "Create a thread and a run on it",
            ["listRuns"] = "List a thread's runs",
            ["getRun"] = "Retrieve a run",
            ["modifyRun"] = "Modify a run's metadata",
            ["cancelRun"] = "Cancel a run",
            ["submitToolOuputsToRun"] = "Submit the outputs of a run's tool calls",
            ["listRunSteps"] = "List a run's steps",
            ["getRunStep"] = "Retrieve a run step",
            ["mockGetClock"] = "The mock clock: now and its mode",
            ["mockAdvanceClock"] = "Move the manual clock forward, applying every transition due",
            ["mockReset"] = "Forget every object; seed, clock and config back to their start",
            ["mockListRuns"] = "Every run across threads",
            ["mockTransitionRun"] = "Force a legal transition of a run now",
            ["mockListRequests"] = "The request journal",
            ["mockClearRequests"] = "Clear the request journal",
            ["mockGetConfig"] = "The runtime configuration in force",
            ["mockPutConfig"] = "Replace the runtime configuration",
            ["mockGetQueuedFaults"] = "The faults queued for the next requests",
            ["mockQueueFaults"] = "Fail the next requests on the OpenAI routes",
            ["mockClearQueuedFaults"] = "Cancel the queued faults",
            ["getHealth"] = "Liveness and readiness",
        };

        /// <summary>What Swagger UI shows under the summary: what the call does here and what "Try it out" needs first.</summary>
        public static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
        {
            ["createAssistant"] = "Creates an assistant. Any model name is accepted; function tools given here are what the tool_call scenario calls.",
            ["listAssistants"] = "Returns a page of assistants, newest first unless order=asc.",
            ["getAssistant"] = "Retrieves an assistant by id.",
            ["modifyAssistant"] = "Changes the fields given; the others keep their values.",
            ["deleteAssistant"] = "Deletes an assistant.",
            ["createThread"] = "Creates a thread, with the messages given (the body may be left out). A message may end with a directive such as [mock:fail] that picks the scenario of the next run.",
            ["getThread"] = "Retrieves a thread by id.",
            ["modifyThread"] = "Changes a thread's metadata or tool_resources.",
            ["deleteThread"] = "Deletes a thread with its messages, runs and run steps.",
            ["createMessage"] = "Adds a message to a thread. Refused with a 400 while a run on the thread is active.",
            ["listMessages"] = "Returns a page of a thread's messages, newest first unless order=asc; run_id keeps those one run wrote.",
            ["getMessage"] = "Retrieves a message by id.",
            ["modifyMessage"] = "Changes a message's metadata.",
            ["deleteMessage"] = "Deletes a message.",
            ["createRun"] = "Starts a run of an assistant on a thread. Replace the example's asst_abc123 with the id createAssistant answered. "
                + "How the run ends is its scenario: the X-Mock-Scenario header, else metadata.mock_scenario, a [mock:<name>] directive in the last user message, "
                + "Mock:Rules, then a draw from Mock:Outcomes (out of the box some runs fail, end incomplete or hit a rate limit on purpose). "
                + "The run then moves queued → in_progress → its ending on the mock clock; poll getRun to watch it. With \"stream\": true the answer is text/event-stream.",
            ["createThreadAndRun"] = "Creates a thread from `thread` and starts a run on it, as createRun does. Replace the example's asst_abc123 with the id createAssistant answered.",
            ["listRuns"] = "Returns a page of a thread's runs, newest first unless order=asc.",
            ["getRun"] = "Retrieves a run, with its status as of now on the mock clock.",
            ["modifyRun"] = "Changes a run's metadata.",
            ["cancelRun"] = "Moves a queued, in_progress or requires_action run to cancelling, then cancelled. A run that has ended is a 400.",
            ["submitToolOuputsToRun"] = "Only for a run in requires_action: one output per call in its required_action.submit_tool_outputs.tool_calls "
                + "(replace the example's call_abc123 with those ids). The run is queued again and goes on. Start such a run with X-Mock-Scenario: tool_call on an assistant with a function tool.",
            ["listRunSteps"] = "Returns a page of a run's steps (message_creation, tool_calls), newest first unless order=asc.",
            ["getRunStep"] = "Retrieves a run step by id.",
            ["mockGetClock"] = "The server's time (Unix seconds and milliseconds) and whether the clock is real or manual (Mock:Clock:Mode).",
            ["mockListRuns"] = "Every run on every thread, oldest first, in the shape of a run object; the filters combine.",
            ["mockClearRequests"] = "Empties the request journal that GET /_mock/requests reads; answers how many entries it removed.",
            ["mockGetQueuedFaults"] = "The entries POST /_mock/faults/next queued and how many requests each still fails.",
            ["mockClearQueuedFaults"] = "Drops every queued fault; the probabilities of Mock:Faults still apply.",
            ["getHealth"] = "200 with the server's counters while it serves; no OpenAI-Beta header or key needed.",
        };

        /// <summary>The path parameters, as OpenAI's reference describes them.</summary>
        private static readonly Dictionary<string, string> PathParameters = new(StringComparer.Ordinal)
        {
            ["assistant_id"] = "The ID of the assistant (asst_…).",
            ["thread_id"] = "The ID of the thread (thread_…).",
            ["message_id"] = "The ID of the message (msg_…).",
            ["run_id"] = "The ID of the run (run_…).",
            ["step_id"] = "The ID of the run step (step_…).",
        };

        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var id = operation.OperationId;
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter is OpenApiParameter { In: ParameterLocation.Path, Description: null or "" } path && path.Name is { } name
                    && PathParameters.TryGetValue(name, out var text))
                {
                    path.Description = text;
                }
            }
            if (id is not null && string.IsNullOrEmpty(operation.Description) && Descriptions.TryGetValue(id, out var description))
            {
                operation.Description = description;
            }
            if (Array.IndexOf(Lists, id) >= 0)
            {
                Query(operation, "limit", JsonSchemaType.Integer, "1–100, default 20.");
                Query(operation, "order", JsonSchemaType.String, "By created_at: asc or desc (default).", "asc", "desc");
                Query(operation, "after", JsonSchemaType.String, "An object id: the page that follows it.");
                Query(operation, "before", JsonSchemaType.String, "An object id: the page that precedes it.");
            }
            if (id == "listMessages")
            {
                Query(operation, "run_id", JsonSchemaType.String, "Only the messages written by this run.");
            }
            if (id is not null && Summaries.TryGetValue(id, out var summary))
            {
                operation.Summary = summary;
            }
            if (id == "mockListRequests")
            {
                Query(operation, "path", JsonSchemaType.String, "Only requests whose path starts with this.");
                Query(operation, "method", JsonSchemaType.String, "Only requests with this method.");
                Query(operation, "status", JsonSchemaType.String, "Only answers with this status (404) or class (4xx).");
                Query(operation, "limit", JsonSchemaType.Integer, "At most this many entries.");
                Query(operation, "order", JsonSchemaType.String, "desc (default): newest first; asc: oldest first.", "asc", "desc");
            }
            if (id == "mockListRuns")
            {
                Query(operation, "status", JsonSchemaType.String, "Only runs in this status.",
                    Enum.GetValues<Wire.RunStatus>().Select(Wire.RunStatusNames.ToWire).ToArray());
                Query(operation, "thread_id", JsonSchemaType.String, "Only runs of this thread.");
                Query(operation, "assistant_id", JsonSchemaType.String, "Only runs of this assistant.");
            }
            if (id is "createRun" or "listRunSteps" or "getRunStep")
            {
                // An array, as in OpenAI's spec: Swagger UI then offers a multi-select and sends include[]=… (form, exploded).
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "include[]",
                    In = ParameterLocation.Query,
                    Description = "Each file search result of the steps read (on createRun: streamed) with the text it found, as its content.",
                    Style = ParameterStyle.Form,
                    Explode = true,
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(Http.IncludeQuery.FileSearchContent)] },
                    },
                });
            }
            if (id is "createRun" or "createThreadAndRun")
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "X-Mock-Scenario",
                    In = ParameterLocation.Header,
                    Description = "Names the scenario of the new run (complete, tool_call, fail, rate_limit, invalid_prompt, incomplete, expire or a configured one).",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }

            // createThread's route also matches any or no content type (an SDK sends no body); the document offers JSON
            // only, or Swagger UI would list */* and prefill it with a schema sample the server refuses ("attachments": "string").
            if (operation.RequestBody?.Content is { } offered && offered.ContainsKey("application/json"))
            {
                foreach (var type in offered.Keys.Where(type => type != "application/json").ToList())
                {
                    offered.Remove(type);
                }
            }

            if (id is not null && Examples.TryGetValue(id, out var example)
                && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            {
                body.Example = JsonNode.Parse(example);
            }

            operation.Responses ??= [];
            foreach (var response in operation.Responses.Values)
            {
                if (response.Content?.TryGetValue("text/event-stream", out var stream) == true)
                {
                    stream.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "With \"stream\": true: server-sent events (thread.run.created, …, thread.run.completed), then event: done / data: [DONE].",
                    };
                }
            }

            if (id == "getHealth")
            {
                return;
            }
            var error = context.SchemaGenerator.GenerateSchema(typeof(Wire.ErrorResponse), context.SchemaRepository);
            operation.Responses.TryAdd("400", ErrorResponse("Bad input, in OpenAI's error envelope.", error));
            if (operation.Responses["400"] is OpenApiResponse { Description: "Bad Request" } declared)
            {
                declared.Description = "Bad input, in OpenAI's error envelope.";
            }
            operation.Responses.TryAdd("401", ErrorResponse(
                id is not null && id.StartsWith("mock", StringComparison.Ordinal)
                    ? "Only when Mock:Admin:ApiKey is set: no bearer key, or another one (code invalid_api_key)."
                    : "Only when Mock:Auth:ApiKeys is set: no bearer key, or an unknown one (code invalid_api_key).", error));
            if (id == "createThreadAndRun" || context.ApiDescription.ParameterDescriptions.Any(parameter => parameter.Source.Id == "Path"))
            {
                operation.Responses.TryAdd("404", ErrorResponse("No object with that id.", error));
            }
            if (id is null || id.StartsWith("mock", StringComparison.Ordinal))
            {
                return;
            }
            // What only the OpenAI routes answer: the body limit, the rate limiter and the injected faults (any operation, before its endpoint).
            if (operation.RequestBody is not null)
            {
                operation.Responses.TryAdd("413", ErrorResponse("A body over Mock:MaxRequestBodyBytes (code request_too_large).", error));
            }
            var tooMany = ErrorResponse(
                "A rate limit (code rate_limit_exceeded, type requests or tokens): the key's Mock:RateLimits budget is spent, with x-ratelimit-* headers, "
                + "or one injected by Mock:Faults, X-Mock-Fault: 429 or POST /_mock/faults/next.", error);
            tooMany.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["retry-after"] = new OpenApiHeader { Description = "Seconds to wait before retrying, rounded up.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
                ["retry-after-ms"] = new OpenApiHeader { Description = "Milliseconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
            };
            operation.Responses.TryAdd("429", tooMany);
            operation.Responses.TryAdd("500", ErrorResponse("Only when injected (Mock:Faults, X-Mock-Fault: 500, POST /_mock/faults/next): type server_error.", error));
            operation.Responses.TryAdd("503", ErrorResponse("Only when injected (Mock:Faults, X-Mock-Fault: 503, POST /_mock/faults/next): the model is overloaded, type server_error.", error));
        }

        private static OpenApiResponse ErrorResponse(string description, IOpenApiSchema schema) => new()
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };

        private static void Query(OpenApiOperation operation, string name, JsonSchemaType type, string description, params string[] values)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Description = description,
                Schema = new OpenApiSchema
                {
                    Type = type,
                    Enum = values.Length > 0 ? values.Select(value => (JsonNode)JsonValue.Create(value)).ToList() : null,
                },
            });
        }
    }
}
