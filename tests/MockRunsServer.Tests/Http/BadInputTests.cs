using System.Net;
using System.Text;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Http;

/// <summary>
/// A server with one of everything a bad request could touch: an assistant, an idle thread with a
/// message, and a busy thread whose run waits for tool outputs. The clock never moves here.
/// </summary>
public sealed class BadInputWorld : IAsyncLifetime, IDisposable
{
    public MockServerFactory Server { get; } = new();

    public ApiClient Api { get; private set; } = null!;

    public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        Api = Server.Api();
        Ids["asst"] = await Api.CreateAssistant(new
        {
            model = "gpt-4o",
            name = "Target",
            metadata = new { k = "v" },
            tools = new object[] { new { type = "function", function = new { name = "lookup" } } },
        });
        Ids["thread"] = await Api.CreateThread();
        Ids["msg"] = (await Api.Get($"/v1/threads/{Ids["thread"]}/messages")).Ok().Json.Ids().Single();
        Ids["busy"] = await Api.CreateThread();
        Ids["run"] = (await Api.CreateRun(Ids["busy"], new { assistant_id = Ids["asst"], parallel_tool_calls = false }, ("X-Mock-Scenario", "tool_call"))).Ok().Id;
        await Api.Advance(2.5);
        var run = await Api.GetRun(Ids["busy"], Ids["run"]);
        Assert.Equal("requires_action", run.Status());
        Ids["call"] = run.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")[0].Str("id");
    }

    public string Fill(string text)
    {
        foreach (var (name, id) in Ids)
        {
            text = text.Replace("{" + name + "}", id, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>Everything a refused request could have created or changed, as one string.</summary>
    public async Task<string> Snapshot()
    {
        string[] paths =
        [
            "/healthz",
            "/_mock/runs",
            "/v1/assistants?limit=100&order=asc",
            "/v1/assistants/{asst}",
            "/v1/threads/{thread}",
            "/v1/threads/{thread}/messages?limit=100",
            "/v1/threads/{thread}/runs?limit=100",
            "/v1/threads/{busy}",
            "/v1/threads/{busy}/messages?limit=100",
            "/v1/threads/{busy}/runs/{run}",
            "/v1/threads/{busy}/runs/{run}/steps?limit=100",
        ];
        var snapshot = new StringBuilder();
        foreach (var path in paths)
        {
            snapshot.Append(path).Append(" => ").AppendLine((await Api.Get(Fill(path))).Ok().Text);
        }
        return snapshot.ToString();
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Server.Dispose();
}

/// <summary>
/// Bad input of every kind, across the resources (contract §1, spec/runs.md §1 and §7): each is refused
/// with OpenAI's envelope, the right status, <c>param</c> and <c>code</c>, and leaves the server as it was.
/// </summary>
public sealed class BadInputTests(BadInputWorld world) : IClassFixture<BadInputWorld>
{
    private const string ParseError = "We could not parse the JSON body of your request.";

    /// <summary>One bad request. Paths and bodies may name the world's objects as {asst}, {thread}, {msg}, {busy}, {run}, {call}.</summary>
    public sealed record Case(string Method, string Path, string? Body, HttpStatusCode Status, string? Param, string? Code, string? Message = null)
    {
        public (string Name, string Value)[] Headers { get; init; } = [];
    }

    private static string Text(int length) => new('x', length);

    private static string Metadata(int keys) => "{" + string.Join(",", Enumerable.Range(0, keys).Select(i => $"\"k{i}\":\"v\"")) + "}";

    private static string Tools(int count) => "[" + string.Join(",", Enumerable.Repeat("""{"type":"code_interpreter"}""", count)) + "]";

    private static readonly string LongKey = new('k', 65);

    /// <summary>Characters of two UTF-16 units each: limits count them once, as OpenAI does.</summary>
    private static string Emoji(int count) => string.Concat(Enumerable.Repeat("😀", count));

    private static string Messages(int count) => "[" + string.Join(",", Enumerable.Repeat("""{"role":"user","content":"m"}""", count)) + "]";

    private static Case Create(string body, string? param, string? code, string? message = null, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new("POST", "/v1/assistants", body, status, param, code, message);

    public static readonly Dictionary<string, Case> Cases = new()
    {
        // ---- assistants ------------------------------------------------------------------
        ["assistant: malformed JSON"] = Create("""{"model":""", null, null, ParseError),
        ["assistant: model with a lone surrogate escape"] = Create("""{"model":"gpt-\ud800"}""", null, null, ParseError),
        ["assistant: body is an array"] = Create("[]", null, "invalid_type"),
        ["assistant: model missing"] = Create("""{"name":"x"}""", "model", "missing_required_parameter", "Missing required parameter: 'model'."),
        ["assistant: model is a number"] = Create("""{"model":42}""", "model", "invalid_type", "Invalid type for 'model': expected a string, but got an integer instead."),
        ["assistant: unknown field"] = Create("""{"model":"gpt-4o","colour":"red"}""", "colour", "unknown_parameter", "Unknown parameter: 'colour'."),
        ["assistant: temperature 3"] = Create("""{"model":"gpt-4o","temperature":3}""", "temperature", "decimal_above_max_value",
            "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead."),
        ["assistant: top_p -1"] = Create("""{"model":"gpt-4o","top_p":-1}""", "top_p", "decimal_below_min_value"),
        ["assistant: temperature is a string"] = Create("""{"model":"gpt-4o","temperature":"hot"}""", "temperature", "invalid_type",
            "Invalid type for 'temperature': expected a number, but got a string instead."),
        ["assistant: unknown reasoning_effort"] = Create("""{"model":"gpt-4o","reasoning_effort":"extreme"}""", "reasoning_effort", "invalid_value"),
        ["assistant: unknown tool type"] = Create("""{"model":"gpt-4o","tools":[{"type":"browser"}]}""", "tools[0].type", "invalid_value"),
        ["assistant: 129 tools"] = Create($$"""{"model":"gpt-4o","tools":{{Tools(129)}}}""", "tools", "array_above_max_length"),
        ["assistant: tools is an object"] = Create("""{"model":"gpt-4o","tools":{"type":"code_interpreter"}}""", "tools", "invalid_type"),
        ["assistant: function name with a space"] = Create("""{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"get weather"}}]}""",
            "tools[0].function.name", "invalid_value"),
        ["assistant: function name of 65 characters"] = Create($$$"""{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"{{{new string('f', 65)}}}"}}]}""",
            "tools[0].function.name", "string_above_max_length"),
        ["assistant: function parameters not an object"] = Create("""{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"f","parameters":"x"}}]}""",
            "tools[0].function.parameters", "invalid_type"),
        ["assistant: function tool without function"] = Create("""{"model":"gpt-4o","tools":[{"type":"function"}]}""",
            "tools[0].function", "missing_required_parameter"),
        ["assistant: name of 257 characters"] = Create($$"""{"model":"gpt-4o","name":"{{Text(257)}}"}""", "name", "string_above_max_length",
            "Invalid 'name': string too long. Expected a string with maximum length 256, but got a string with length 257 instead."),
        ["assistant: name of 257 emoji"] = Create($$"""{"model":"gpt-4o","name":"{{Emoji(257)}}"}""", "name", "string_above_max_length",
            "Invalid 'name': string too long. Expected a string with maximum length 256, but got a string with length 257 instead."),
        ["assistant: metadata key of 65 emoji"] = Create($$$"""{"model":"gpt-4o","metadata":{"{{{Emoji(65)}}}":"v"}}""", $"metadata.{Emoji(65)}", "property_name_above_max_length",
            $"Invalid property name in 'metadata': '{Emoji(3)}...{Emoji(3)}' is too long. Expected a string with maximum length 64, but got a string with length 65 instead."),
        ["assistant: file_search ranker unknown"] = Create("""{"model":"gpt-4o","tools":[{"type":"file_search","file_search":{"ranking_options":{"ranker":"nope","score_threshold":0.5}}}]}""",
            "tools[0].file_search.ranking_options.ranker", "invalid_value", "Invalid value: 'nope'. Supported values are: 'auto' and 'default_2024_08_21'."),
        ["assistant: file_search score_threshold 7"] = Create("""{"model":"gpt-4o","tools":[{"type":"file_search","file_search":{"ranking_options":{"score_threshold":7}}}]}""",
            "tools[0].file_search.ranking_options.score_threshold", "decimal_above_max_value"),
        ["assistant: file_search ranking_options without score_threshold"] = Create("""{"model":"gpt-4o","tools":[{"type":"file_search","file_search":{"ranking_options":{"ranker":"auto"}}}]}""",
            "tools[0].file_search.ranking_options.score_threshold", "missing_required_parameter",
            "Missing required parameter: 'tools[0].file_search.ranking_options.score_threshold'."),
        ["assistant: file_search ranking_options unknown field"] = Create("""{"model":"gpt-4o","tools":[{"type":"file_search","file_search":{"ranking_options":{"score_threshold":0,"boost":1}}}]}""",
            "tools[0].file_search.ranking_options.boost", "unknown_parameter"),
        ["assistant: vector_store_ids and vector_stores both"] = Create("""{"model":"gpt-4o","tool_resources":{"file_search":{"vector_store_ids":["vs_a"],"vector_stores":[{"file_ids":["file-1"]}]}}}""",
            "tool_resources.file_search", "invalid_value"),
        ["assistant: vector_stores file_ids is a number"] = Create("""{"model":"gpt-4o","tool_resources":{"file_search":{"vector_stores":[{"file_ids":42}]}}}""",
            "tool_resources.file_search.vector_stores[0].file_ids", "invalid_type"),
        ["assistant: vector_stores entry is a string"] = Create("""{"model":"gpt-4o","tool_resources":{"file_search":{"vector_stores":["file-1"]}}}""",
            "tool_resources.file_search.vector_stores[0]", "invalid_type"),
        ["assistant: static chunks of 5 tokens"] = Create("""{"model":"gpt-4o","tool_resources":{"file_search":{"vector_stores":[{"chunking_strategy":{"type":"static","static":{"max_chunk_size_tokens":5,"chunk_overlap_tokens":0}}}]}}}""",
            "tool_resources.file_search.vector_stores[0].chunking_strategy.static.max_chunk_size_tokens", "integer_below_min_value"),
        ["assistant: static chunk overlap over half the chunk"] = Create("""{"model":"gpt-4o","tool_resources":{"file_search":{"vector_stores":[{"chunking_strategy":{"type":"static","static":{"max_chunk_size_tokens":800,"chunk_overlap_tokens":401}}}]}}}""",
            "tool_resources.file_search.vector_stores[0].chunking_strategy.static.chunk_overlap_tokens", "integer_above_max_value"),
        ["assistant: static chunking without its sizes"] = Create("""{"model":"gpt-4o","tool_resources":{"file_search":{"vector_stores":[{"chunking_strategy":{"type":"static"}}]}}}""",
            "tool_resources.file_search.vector_stores[0].chunking_strategy.static", "missing_required_parameter"),
        ["assistant: unknown chunking type"] = Create("""{"model":"gpt-4o","tool_resources":{"file_search":{"vector_stores":[{"chunking_strategy":{"type":"semantic"}}]}}}""",
            "tool_resources.file_search.vector_stores[0].chunking_strategy.type", "invalid_value"),
        ["assistant: description of 513 characters"] = Create($$"""{"model":"gpt-4o","description":"{{Text(513)}}"}""", "description", "string_above_max_length"),
        ["assistant: metadata with 17 keys"] = Create($$"""{"model":"gpt-4o","metadata":{{Metadata(17)}}}""", "metadata", "object_above_max_properties",
            "Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with 17 properties instead."),
        ["assistant: metadata key of 65 characters"] = Create($$$"""{"model":"gpt-4o","metadata":{"{{{LongKey}}}":"v"}}""", $"metadata.{LongKey}", "property_name_above_max_length",
            "Invalid property name in 'metadata': 'kkk...kkk' is too long. Expected a string with maximum length 64, but got a string with length 65 instead."),
        ["assistant: metadata value of 513 characters"] = Create($$$"""{"model":"gpt-4o","metadata":{"k":"{{{Text(513)}}}"}}""", "metadata.k", "string_above_max_length",
            "Invalid 'metadata.k': string too long. Expected a string with maximum length 512, but got a string with length 513 instead."),
        ["assistant: metadata value not a string"] = Create("""{"model":"gpt-4o","metadata":{"k":7}}""", "metadata.k", "invalid_type",
            "Invalid type for 'metadata.k': expected a string, but got an integer instead."),
        ["assistant: unknown response_format type"] = Create("""{"model":"gpt-4o","response_format":{"type":"xml"}}""", "response_format.type", "invalid_value"),
        ["assistant modify: temperature 3"] = new("POST", "/v1/assistants/{asst}", """{"temperature":3}""", HttpStatusCode.BadRequest, "temperature", "decimal_above_max_value"),
        ["assistant modify: unknown field"] = new("POST", "/v1/assistants/{asst}", """{"name":"new","file_ids":[]}""", HttpStatusCode.BadRequest, "file_ids", "unknown_parameter"),
        ["assistant modify: metadata with 17 keys"] = new("POST", "/v1/assistants/{asst}", $$"""{"metadata":{{Metadata(17)}}}""", HttpStatusCode.BadRequest, "metadata", "object_above_max_properties"),
        ["assistant modify: id of another kind"] = new("POST", "/v1/assistants/thread_abc", """{"name":"x"}""", HttpStatusCode.BadRequest, "assistant_id", "invalid_value",
            "Invalid 'assistant_id': 'thread_abc'. Expected an ID that begins with 'asst'."),
        ["assistant modify: unknown id"] = new("POST", "/v1/assistants/asst_doesnotexist000000000", """{"name":"x"}""", HttpStatusCode.NotFound, null, null,
            "No assistant found with id 'asst_doesnotexist000000000'."),
        ["assistant delete: unknown id"] = new("DELETE", "/v1/assistants/asst_doesnotexist000000000", null, HttpStatusCode.NotFound, null, null),
        ["assistant get: id of another kind"] = new("GET", "/v1/assistants/undefined", null, HttpStatusCode.BadRequest, "assistant_id", "invalid_value",
            "Invalid 'assistant_id': 'undefined'. Expected an ID that begins with 'asst'."),

        // ---- threads ---------------------------------------------------------------------
        ["thread: 33 messages"] = new("POST", "/v1/threads", $$"""{"messages":{{Messages(33)}}}""", HttpStatusCode.BadRequest, "messages", "array_above_max_length",
            "Invalid 'messages': array too long. Expected an array with maximum length 32, but got an array with length 33 instead."),
        ["thread: messages is a string"] = new("POST", "/v1/threads", """{"messages":"hi"}""", HttpStatusCode.BadRequest, "messages", "invalid_type"),
        ["thread: message with role system"] = new("POST", "/v1/threads", """{"messages":[{"role":"system","content":"x"}]}""", HttpStatusCode.BadRequest,
            "messages[0].role", "invalid_value", "Invalid value: 'system'. Supported values are: 'user' and 'assistant'."),
        ["thread: second message without content"] = new("POST", "/v1/threads", """{"messages":[{"role":"user","content":"ok"},{"role":"user"}]}""", HttpStatusCode.BadRequest,
            "messages[1].content", "missing_required_parameter"),
        ["thread: unknown field"] = new("POST", "/v1/threads", """{"assistant_id":"asst_abc"}""", HttpStatusCode.BadRequest, "assistant_id", "unknown_parameter"),
        ["thread: malformed JSON"] = new("POST", "/v1/threads", "{messages:[]}", HttpStatusCode.BadRequest, null, null, ParseError),
        ["thread: two vector stores"] = new("POST", "/v1/threads", """{"tool_resources":{"file_search":{"vector_store_ids":["vs_1","vs_2"]}}}""", HttpStatusCode.BadRequest,
            "tool_resources.file_search.vector_store_ids", "array_above_max_length"),
        ["thread: metadata key with a lone surrogate escape"] = new("POST", "/v1/threads", """{"metadata":{"\udc00":"x"}}""", HttpStatusCode.BadRequest, null, null, ParseError),
        ["thread modify: metadata with 17 keys"] = new("POST", "/v1/threads/{thread}", $$"""{"metadata":{{Metadata(17)}}}""", HttpStatusCode.BadRequest, "metadata", "object_above_max_properties"),
        ["thread modify: messages are not modifiable"] = new("POST", "/v1/threads/{thread}", """{"messages":[]}""", HttpStatusCode.BadRequest, "messages", "unknown_parameter"),
        ["thread modify: tool_resources is a string"] = new("POST", "/v1/threads/{thread}", """{"tool_resources":"none"}""", HttpStatusCode.BadRequest, "tool_resources", "invalid_type"),
        ["thread modify: id of another kind"] = new("POST", "/v1/threads/asst_abc", "{}", HttpStatusCode.BadRequest, "thread_id", "invalid_value",
            "Invalid 'thread_id': 'asst_abc'. Expected an ID that begins with 'thread'."),
        ["thread get: undefined id"] = new("GET", "/v1/threads/undefined", null, HttpStatusCode.BadRequest, "thread_id", "invalid_value",
            "Invalid 'thread_id': 'undefined'. Expected an ID that begins with 'thread'."),
        ["thread get: unknown id"] = new("GET", "/v1/threads/thread_doesnotexist000000000", null, HttpStatusCode.NotFound, null, null,
            "No thread found with id 'thread_doesnotexist000000000'."),
        ["thread delete: unknown id"] = new("DELETE", "/v1/threads/thread_doesnotexist000000000", null, HttpStatusCode.NotFound, null, null),

        // ---- messages --------------------------------------------------------------------
        ["message: content missing"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user"}""", HttpStatusCode.BadRequest, "content", "missing_required_parameter",
            "Missing required parameter: 'content'."),
        ["message: role missing"] = new("POST", "/v1/threads/{thread}/messages", """{"content":"hi"}""", HttpStatusCode.BadRequest, "role", "missing_required_parameter"),
        ["message: role system"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"system","content":"hi"}""", HttpStatusCode.BadRequest, "role", "invalid_value"),
        ["message: content with a lone surrogate escape"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user","content":"a\ud800b"}""", HttpStatusCode.BadRequest, null, null, ParseError),
        ["message: content is a number"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user","content":42}""", HttpStatusCode.BadRequest, "content", "invalid_type"),
        ["message: content is an empty array"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user","content":[]}""", HttpStatusCode.BadRequest, "content", "empty_array"),
        ["message: unknown content part type"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user","content":[{"type":"audio","audio":{}}]}""",
            HttpStatusCode.BadRequest, "content[0].type", "invalid_value"),
        ["message: unknown image detail"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"ultra"}}]}""",
            HttpStatusCode.BadRequest, "content[0].image_url.detail", "invalid_value"),
        ["message: image_url without url"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user","content":[{"type":"image_url","image_url":{}}]}""",
            HttpStatusCode.BadRequest, "content[0].image_url.url", "missing_required_parameter"),
        ["message: unknown attachment tool"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user","content":"x","attachments":[{"file_id":"file-1","tools":[{"type":"browser"}]}]}""",
            HttpStatusCode.BadRequest, "attachments[0].tools[0].type", "invalid_value"),
        ["message: image_url that is a data URL"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}""",
            HttpStatusCode.BadRequest, "content[0].image_url.url", "invalid_value", "Invalid 'content[0].image_url.url'. Expected a valid URL, but got a value with an invalid format."),
        ["message: image_url that is not a URL"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user","content":[{"type":"text","text":"x"},{"type":"image_url","image_url":{"url":"cat.png"}}]}""",
            HttpStatusCode.BadRequest, "content[1].image_url.url", "invalid_value"),
        ["message: image_url over ftp"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://example.com/cat.png"}}]}""",
            HttpStatusCode.BadRequest, "content[0].image_url.url", "invalid_value"),
        ["thread: image_url that is a data URL"] = new("POST", "/v1/threads", """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}""",
            HttpStatusCode.BadRequest, "messages[0].content[0].image_url.url", "invalid_value", "Invalid 'messages[0].content[0].image_url.url'. Expected a valid URL, but got a value with an invalid format."),
        ["message: image_file id of another kind"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user","content":[{"type":"image_file","image_file":{"file_id":"asst_abc"}}]}""",
            HttpStatusCode.BadRequest, "content[0].image_file.file_id", "invalid_value", "Invalid 'content[0].image_file.file_id': 'asst_abc'. Expected an ID that begins with 'file'."),
        ["thread: attachment file_id of another kind"] = new("POST", "/v1/threads", """{"messages":[{"role":"user","content":"x","attachments":[{"file_id":"31abac64","tools":[{"type":"file_search"}]}]}]}""",
            HttpStatusCode.BadRequest, "messages[0].attachments[0].file_id", "invalid_value", "Invalid 'messages[0].attachments[0].file_id': '31abac64'. Expected an ID that begins with 'file'."),
        ["assistant: blank model"] = new("POST", "/v1/assistants", """{"model":"  "}""", HttpStatusCode.BadRequest,
            "model", "model_not_found", "The requested model '  ' does not exist."),
        ["assistant: empty model"] = new("POST", "/v1/assistants", """{"model":""}""", HttpStatusCode.BadRequest,
            "model", "model_not_found", "The requested model '' does not exist."),
        ["assistant modify: empty model"] = new("POST", "/v1/assistants/{asst}", """{"model":""}""", HttpStatusCode.BadRequest,
            "model", "model_not_found", "The requested model '' does not exist."),
        ["run: empty model"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"{asst}","model":""}""", HttpStatusCode.BadRequest,
            "model", "model_not_found", "The requested model '' does not exist."),
        ["thread and run: empty model"] = new("POST", "/v1/threads/runs", """{"assistant_id":"{asst}","model":""}""", HttpStatusCode.BadRequest,
            "model", "model_not_found"),
        ["message: attachment without file_id"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user","content":"x","attachments":[{"tools":[]}]}""",
            HttpStatusCode.BadRequest, "attachments[0].file_id", "missing_required_parameter", "Missing required parameter: 'attachments[0].file_id'."),
        ["message: file_ids is a v1 field"] = new("POST", "/v1/threads/{thread}/messages", """{"role":"user","content":"x","file_ids":[]}""", HttpStatusCode.BadRequest, "file_ids", "unknown_parameter"),
        ["message: thread busy with a run"] = new("POST", "/v1/threads/{busy}/messages", """{"role":"user","content":"x"}""", HttpStatusCode.BadRequest, null, null,
            "Can't add messages to {busy} while a run {run} is active."),
        ["message: thread id of another kind"] = new("POST", "/v1/threads/msg_abc/messages", """{"role":"user","content":"x"}""", HttpStatusCode.BadRequest, "thread_id", "invalid_value"),
        ["message modify: content is not modifiable"] = new("POST", "/v1/threads/{thread}/messages/{msg}", """{"content":"changed"}""", HttpStatusCode.BadRequest, "content", "unknown_parameter"),
        ["message modify: metadata value of 513 characters"] = new("POST", "/v1/threads/{thread}/messages/{msg}", $$$"""{"metadata":{"k":"{{{Text(513)}}}"}}""",
            HttpStatusCode.BadRequest, "metadata.k", "string_above_max_length"),
        ["message get: id of another kind"] = new("GET", "/v1/threads/{thread}/messages/run_abc", null, HttpStatusCode.BadRequest, "message_id", "invalid_value",
            "Invalid 'message_id': 'run_abc'. Expected an ID that begins with 'msg'."),
        ["message get: unknown id"] = new("GET", "/v1/threads/{thread}/messages/msg_doesnotexist00000000000", null, HttpStatusCode.NotFound, null, null,
            "No message found with id 'msg_doesnotexist00000000000'."),
        ["message delete: unknown id"] = new("DELETE", "/v1/threads/{thread}/messages/msg_doesnotexist00000000000", null, HttpStatusCode.NotFound, null, null),

        // ---- runs ------------------------------------------------------------------------
        ["run: assistant_id missing"] = new("POST", "/v1/threads/{thread}/runs", "{}", HttpStatusCode.BadRequest, "assistant_id", "missing_required_parameter",
            "Missing required parameter: 'assistant_id'."),
        ["run: unknown assistant"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"asst_doesnotexist000000000"}""", HttpStatusCode.NotFound, null, null,
            "No assistant found with id 'asst_doesnotexist000000000'."),
        ["run: unknown assistant with additional messages"] = new("POST", "/v1/threads/{thread}/runs",
            """{"assistant_id":"asst_doesnotexist000000000","additional_messages":[{"role":"user","content":"extra"}]}""", HttpStatusCode.NotFound, null, null),
        ["run: assistant_id of another kind"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"undefined"}""", HttpStatusCode.BadRequest, "assistant_id", "invalid_value",
            "Invalid 'assistant_id': 'undefined'. Expected an ID that begins with 'asst'."),
        ["run: unknown tool_choice"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"{asst}","tool_choice":"sometimes"}""", HttpStatusCode.BadRequest,
            "tool_choice", "invalid_value", "Invalid value: 'sometimes'. Supported values are: 'none', 'auto', and 'required'."),
        ["run: tool_choice function without function"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"{asst}","tool_choice":{"type":"function"}}""",
            HttpStatusCode.BadRequest, "tool_choice.function", "missing_required_parameter"),
        ["run: tool_choice names a function the run lacks"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"{asst}","tool_choice":{"type":"function","function":{"name":"absent"}}}""",
            HttpStatusCode.BadRequest, "tool_choice", "invalid_value"),
        ["run: max_prompt_tokens 100"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"{asst}","max_prompt_tokens":100}""", HttpStatusCode.BadRequest,
            "max_prompt_tokens", "integer_below_min_value", "Invalid 'max_prompt_tokens': integer below minimum value. Expected a value >= 256, but got 100 instead."),
        ["run: max_completion_tokens is a string"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"{asst}","max_completion_tokens":"many"}""", HttpStatusCode.BadRequest,
            "max_completion_tokens", "invalid_type"),
        ["run: unknown truncation type"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"{asst}","truncation_strategy":{"type":"middle"}}""", HttpStatusCode.BadRequest,
            "truncation_strategy.type", "invalid_value"),
        ["run: stream is a string"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"{asst}","stream":"yes"}""", HttpStatusCode.BadRequest, "stream", "invalid_type",
            "Invalid type for 'stream': expected a boolean, but got a string instead."),
        ["run: temperature 2.5"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"{asst}","temperature":2.5}""", HttpStatusCode.BadRequest, "temperature", "decimal_above_max_value"),
        ["run: unknown reasoning_effort"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"{asst}","reasoning_effort":"huge"}""", HttpStatusCode.BadRequest, "reasoning_effort", "invalid_value"),
        ["run: 21 tools"] = new("POST", "/v1/threads/{thread}/runs", $$"""{"assistant_id":"{asst}","tools":{{Tools(21)}}}""", HttpStatusCode.BadRequest, "tools", "array_above_max_length"),
        ["run: additional message with role system"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"{asst}","additional_messages":[{"role":"system","content":"x"}]}""",
            HttpStatusCode.BadRequest, "additional_messages[0].role", "invalid_value"),
        ["run: unknown field"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"{asst}","thread":{}}""", HttpStatusCode.BadRequest, "thread", "unknown_parameter"),
        ["run: metadata with 17 keys"] = new("POST", "/v1/threads/{thread}/runs", $$"""{"assistant_id":"{asst}","metadata":{{Metadata(17)}}}""", HttpStatusCode.BadRequest, "metadata", "object_above_max_properties"),
        ["run: unknown scenario header"] = new("POST", "/v1/threads/{thread}/runs", """{"assistant_id":"{asst}"}""", HttpStatusCode.BadRequest, null, "invalid_value")
        {
            Headers = [("X-Mock-Scenario", "no_such_scenario")],
        },
        ["run: thread busy with a run"] = new("POST", "/v1/threads/{busy}/runs", """{"assistant_id":"{asst}"}""", HttpStatusCode.BadRequest, null, null,
            "Thread {busy} already has an active run {run}."),
        ["run: unknown thread"] = new("POST", "/v1/threads/thread_doesnotexist000000000/runs", """{"assistant_id":"{asst}"}""", HttpStatusCode.NotFound, null, null,
            "No thread found with id 'thread_doesnotexist000000000'."),
        ["run modify: status is not modifiable"] = new("POST", "/v1/threads/{busy}/runs/{run}", """{"status":"completed"}""", HttpStatusCode.BadRequest, "status", "unknown_parameter"),
        ["run get: id of another kind"] = new("GET", "/v1/threads/{busy}/runs/msg_abc", null, HttpStatusCode.BadRequest, "run_id", "invalid_value",
            "Invalid 'run_id': 'msg_abc'. Expected an ID that begins with 'run'."),
        ["run cancel: unknown run"] = new("POST", "/v1/threads/{thread}/runs/run_doesnotexist0000000000/cancel", null, HttpStatusCode.NotFound, null, null,
            "No run found with id 'run_doesnotexist0000000000'."),
        ["run step get: id of another kind"] = new("GET", "/v1/threads/{busy}/runs/{run}/steps/msg_abc", null, HttpStatusCode.BadRequest, "step_id", "invalid_value"),
        ["run step get: unknown id"] = new("GET", "/v1/threads/{busy}/runs/{run}/steps/step_doesnotexist000000000", null, HttpStatusCode.NotFound, null, null,
            "No run step found with id 'step_doesnotexist000000000'."),
        ["thread and run: unknown assistant"] = new("POST", "/v1/threads/runs", """{"assistant_id":"asst_doesnotexist000000000","thread":{"messages":[{"role":"user","content":"x"}]}}""",
            HttpStatusCode.NotFound, null, null),
        ["thread and run: thread message with role system"] = new("POST", "/v1/threads/runs", """{"assistant_id":"{asst}","thread":{"messages":[{"role":"system","content":"x"}]}}""",
            HttpStatusCode.BadRequest, "thread.messages[0].role", "invalid_value"),
        ["thread and run: 33 thread messages"] = new("POST", "/v1/threads/runs", """{"assistant_id":"{asst}","thread":{"messages":""" + Messages(33) + "}}",
            HttpStatusCode.BadRequest, "thread.messages", "array_above_max_length"),
        ["thread and run: additional_messages is not accepted"] = new("POST", "/v1/threads/runs", """{"assistant_id":"{asst}","additional_messages":[]}""",
            HttpStatusCode.BadRequest, "additional_messages", "unknown_parameter"),
        ["thread and run: unknown scenario header"] = new("POST", "/v1/threads/runs", """{"assistant_id":"{asst}"}""", HttpStatusCode.BadRequest, null, "invalid_value")
        {
            Headers = [("X-Mock-Scenario", "no_such_scenario")],
        },

        // ---- submit_tool_outputs ---------------------------------------------------------
        ["tool outputs: tool_outputs missing"] = new("POST", "/v1/threads/{busy}/runs/{run}/submit_tool_outputs", "{}", HttpStatusCode.BadRequest,
            "tool_outputs", "missing_required_parameter", "Missing required parameter: 'tool_outputs'."),
        ["tool outputs: tool_outputs is a string"] = new("POST", "/v1/threads/{busy}/runs/{run}/submit_tool_outputs", """{"tool_outputs":"42"}""", HttpStatusCode.BadRequest,
            "tool_outputs", "invalid_type"),
        ["tool outputs: tool_call_id missing"] = new("POST", "/v1/threads/{busy}/runs/{run}/submit_tool_outputs", """{"tool_outputs":[{"output":"42"}]}""", HttpStatusCode.BadRequest,
            "tool_outputs[0].tool_call_id", "missing_required_parameter"),
        ["tool outputs: output is a number"] = new("POST", "/v1/threads/{busy}/runs/{run}/submit_tool_outputs", """{"tool_outputs":[{"tool_call_id":"{call}","output":42}]}""",
            HttpStatusCode.BadRequest, "tool_outputs[0].output", "invalid_type"),
        ["tool outputs: unknown field"] = new("POST", "/v1/threads/{busy}/runs/{run}/submit_tool_outputs", """{"tool_outputs":[{"tool_call_id":"{call}","output":"42"}],"assistant_id":"{asst}"}""",
            HttpStatusCode.BadRequest, "assistant_id", "unknown_parameter"),
        ["tool outputs: wrong call id"] = new("POST", "/v1/threads/{busy}/runs/{run}/submit_tool_outputs", """{"tool_outputs":[{"tool_call_id":"call_wrong","output":"42"}]}""",
            HttpStatusCode.BadRequest, null, null, "Expected tool outputs for call_ids ['{call}'], got ['call_wrong']"),
        ["tool outputs: none given"] = new("POST", "/v1/threads/{busy}/runs/{run}/submit_tool_outputs", """{"tool_outputs":[]}""",
            HttpStatusCode.BadRequest, null, null, "Expected tool outputs for call_ids ['{call}'], got []"),
        ["tool outputs: malformed JSON"] = new("POST", "/v1/threads/{busy}/runs/{run}/submit_tool_outputs", """{"tool_outputs":[""", HttpStatusCode.BadRequest, null, null, ParseError),
        ["tool outputs: unknown run"] = new("POST", "/v1/threads/{busy}/runs/run_doesnotexist0000000000/submit_tool_outputs", """{"tool_outputs":[]}""",
            HttpStatusCode.NotFound, null, null),

        // ---- list queries ----------------------------------------------------------------
        ["list assistants: limit 101"] = new("GET", "/v1/assistants?limit=101", null, HttpStatusCode.BadRequest, "limit", "integer_above_max_value",
            "Invalid 'limit': integer above maximum value. Expected a value <= 100, but got 101 instead."),
        ["list assistants: limit 0"] = new("GET", "/v1/assistants?limit=0", null, HttpStatusCode.BadRequest, "limit", "integer_below_min_value"),
        ["list assistants: limit is not a number"] = new("GET", "/v1/assistants?limit=ten", null, HttpStatusCode.BadRequest, "limit", "invalid_type"),
        ["list messages: unknown order"] = new("GET", "/v1/threads/{thread}/messages?order=sideways", null, HttpStatusCode.BadRequest, "order", "invalid_value",
            "Invalid value: 'sideways'. Supported values are: 'asc' and 'desc'."),
        ["list messages: unknown thread"] = new("GET", "/v1/threads/thread_doesnotexist000000000/messages", null, HttpStatusCode.NotFound, null, null),
        ["list runs: limit 101"] = new("GET", "/v1/threads/{thread}/runs?limit=101", null, HttpStatusCode.BadRequest, "limit", "integer_above_max_value"),
        ["list run steps: unknown order"] = new("GET", "/v1/threads/{busy}/runs/{run}/steps?order=up", null, HttpStatusCode.BadRequest, "order", "invalid_value"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Fact]
    public void The_table_covers_every_resource_with_enough_cases()
    {
        Assert.True(Cases.Count >= 35, $"only {Cases.Count} cases");
        foreach (var resource in new[] { "assistant", "thread", "message", "run", "tool outputs", "list" })
        {
            Assert.Contains(Cases.Keys, name => name.StartsWith(resource, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_input_is_refused_in_the_envelope_and_changes_nothing(string name)
    {
        var @case = Cases[name];
        var before = await world.Snapshot();

        var response = await world.Api.Send(new HttpMethod(@case.Method), world.Fill(@case.Path), @case.Body is null ? null : world.Fill(@case.Body), @case.Headers);

        var error = response.Error(@case.Status);
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.Equal(@case.Param, error.GetProperty("param").GetString());
        Assert.Equal(@case.Code, error.GetProperty("code").GetString());
        if (@case.Message is { } message)
        {
            Assert.StartsWith(world.Fill(message), error.Str("message"));
        }
        Assert.Equal(before, await world.Snapshot());
    }
}
