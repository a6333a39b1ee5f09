using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Tests.Streaming;

namespace MockRunsServer.Tests.Http;

/// <summary>
/// The wire byte for byte: a fixed script of requests over the whole surface, on a server of its own
/// (seed 42, manual clock), must answer exactly as <c>Golden/transcript.txt</c> records — each step's
/// method, path, status, the headers a seed and the manual clock decide, and the body as sent (a
/// stream's whole event text). The other tests compare fields (JSON key order ignored); this one
/// catches any change a client could see, such as a reordered key, a number written differently or
/// an event split another way. A failure shows the first line that differs, with the step it is in.
/// When a change is meant, rewrite the file and review its diff:
/// <c>UPDATE_GOLDEN=1 dotnet test --filter GoldenTranscript</c>.
/// </summary>
public sealed class GoldenTranscriptTests
{
    public const string UpdateVariable = "UPDATE_GOLDEN";

    private const string GoldenRelativePath = "tests/MockRunsServer.Tests/Golden/transcript.txt";

    private const string IncludeContent = "include[]=step_details.tool_calls%5B%2A%5D.file_search.results%5B%2A%5D.content";

    private const string Weather = """{"type":"function","function":{"name":"get_weather","description":"The weather in a city","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer","minimum":1,"maximum":7},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","days"]}}}""";

    [Fact]
    public async Task A_fixed_script_of_requests_answers_byte_for_byte_as_the_committed_transcript()
    {
        using var server = new MockServerFactory();
        var session = new Session(server.CreateClient());
        await Script(session);
        var actual = session.Transcript();

        var path = GoldenPath();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        Assert.True(File.Exists(path), $"No golden transcript at {path}: run {UpdateVariable}=1 dotnet test --filter GoldenTranscript to write it.");
        var expected = File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        if (expected != actual)
        {
            Assert.Fail(Difference(expected, actual, path));
        }
    }

    [Fact]
    public void A_difference_is_shown_at_its_first_line_with_its_step_and_the_lines_around_it()
    {
        var expected = "=== 001 GET /a\n< 200\n\n{\"id\":\"x\",\"n\":1}\n\n=== 002 GET /b\n";
        var actual = "=== 001 GET /a\n< 200\n\n{\"id\":\"x\",\"n\":2}\n\n=== 002 GET /b\n";

        var message = Difference(expected, actual, "transcript.txt");

        Assert.Contains("line 4 (step 001 GET /a), column 15", message);
        Assert.Contains("  3 | ", message);
        Assert.Contains("- 4 | {\"id\":\"x\",\"n\":1}", message);
        Assert.Contains("+ 4 | {\"id\":\"x\",\"n\":2}", message);
        Assert.Contains($"{UpdateVariable}=1", message);
    }

    /// <summary>The script: every step's answer goes into the transcript, ids taken from earlier answers.</summary>
    private static async Task Script(Session s)
    {
        // ---- the server as it starts ------------------------------------------------------------
        await s.Send("GET", "/_mock/clock");
        await s.Send("GET", "/_mock/config");

        // ---- assistants -------------------------------------------------------------------------
        var forecaster = (await s.Send("POST", "/v1/assistants",
            $$"""{"model":"gpt-4o","name":"Forecaster","description":"Tells the weather","instructions":"Answer briefly.","tools":[{{Weather}},{"type":"file_search"},{"type":"code_interpreter"}],"metadata":{"team":"golden"},"temperature":0.5,"top_p":0.9}""")).Id;
        var librarian = (await s.Send("POST", "/v1/assistants",
            """{"model":"gpt-4o-mini","name":"Librarian","tools":[{"type":"file_search","file_search":{"max_num_results":5,"ranking_options":{"ranker":"auto","score_threshold":0.2}}}],"tool_resources":{"file_search":{"vector_stores":[{"file_ids":["file-report","file-notes"],"metadata":{"kind":"docs"}}]}}}""")).Id;
        var analyst = (await s.Send("POST", "/v1/assistants",
            """{"model":"gpt-4o","name":"Analyst","tools":[{"type":"code_interpreter"}],"tool_resources":{"code_interpreter":{"file_ids":["file-sales"]}},"response_format":"auto"}""")).Id;
        var scratch = (await s.Send("POST", "/v1/assistants", """{"model":"gpt-4o","name":"Scratch"}""")).Id;
        await s.Send("GET", $"/v1/assistants/{forecaster}");
        await s.Send("POST", $"/v1/assistants/{forecaster}", """{"description":"Tells the weather, briefly","metadata":{"team":"golden","rev":"2"}}""");
        var firstPage = await s.Send("GET", "/v1/assistants?limit=2");
        await s.Send("GET", $"/v1/assistants?limit=2&after={firstPage.Json.Str("last_id")}");
        await s.Send("GET", "/v1/assistants?order=asc&limit=3");
        await s.Send("GET", $"/v1/assistants?before={analyst}&order=asc");
        await s.Send("DELETE", $"/v1/assistants/{scratch}");
        await s.Send("GET", $"/v1/assistants/{scratch}");
        await s.Send("GET", "/assistants?limit=1");

        // ---- threads ----------------------------------------------------------------------------
        var thread = (await s.Send("POST", "/v1/threads",
            """{"messages":[{"role":"user","content":"Hello there","metadata":{"n":"1"}},{"role":"assistant","content":"Hi! How can I help?"}],"metadata":{"project":"golden"}}""")).Id;
        await s.Send("GET", $"/v1/threads/{thread}");
        await s.Send("POST", $"/v1/threads/{thread}", """{"metadata":{"project":"golden","stage":"two"}}""");
        var doomed = (await s.Send("POST", "/v1/threads", "{}")).Id;
        await s.Send("DELETE", $"/v1/threads/{doomed}");
        await s.Send("GET", $"/v1/threads/{doomed}");

        // ---- messages ---------------------------------------------------------------------------
        await s.Send("POST", $"/v1/threads/{thread}/messages", """{"role":"user","content":"What is the weather in Paris?"}""");
        var parts = (await s.Send("POST", $"/v1/threads/{thread}/messages",
            """{"role":"user","content":[{"type":"text","text":"And in Lyon, for three days?"}],"metadata":{"lang":"en"}}""")).Id;
        var page = await s.Send("GET", $"/v1/threads/{thread}/messages?order=asc&limit=2");
        await s.Send("GET", $"/v1/threads/{thread}/messages?order=asc&limit=2&after={page.Json.Str("last_id")}");
        await s.Send("GET", $"/v1/threads/{thread}/messages/{parts}");
        await s.Send("POST", $"/v1/threads/{thread}/messages/{parts}", """{"metadata":{"lang":"en","seen":"yes"}}""");
        var extra = (await s.Send("POST", $"/v1/threads/{thread}/messages", """{"role":"user","content":"Never mind."}""")).Id;
        await s.Send("DELETE", $"/v1/threads/{thread}/messages/{extra}");
        await s.Send("GET", $"/v1/threads/{thread}/messages/{extra}");

        // ---- a run that completes, read at each point of its life -----------------------------------
        var completed = (await s.Send("POST", $"/v1/threads/{thread}/runs",
            $$$"""{"assistant_id":"{{{forecaster}}}","additional_instructions":"Be kind.","metadata":{"case":"complete"}}""", ("X-Mock-Scenario", "complete"))).Id;
        await s.Send("GET", $"/v1/threads/{thread}/runs/{completed}");
        await s.Advance(0.5);
        await s.Send("GET", $"/v1/threads/{thread}/runs/{completed}");
        await s.Send("GET", $"/v1/threads/{thread}/runs/{completed}/steps");
        await s.Advance(1);
        await s.Send("GET", $"/v1/threads/{thread}/messages?run_id={completed}");
        await s.Advance(1.5);
        await s.Send("GET", $"/v1/threads/{thread}/runs/{completed}");
        await s.Send("GET", $"/v1/threads/{thread}/messages?run_id={completed}");
        var steps = await s.Send("GET", $"/v1/threads/{thread}/runs/{completed}/steps");
        await s.Send("GET", $"/v1/threads/{thread}/runs/{completed}/steps/{steps.Json.Ids()[0]}");
        await s.Send("POST", $"/v1/threads/{thread}/runs/{completed}", """{"metadata":{"case":"complete","checked":"yes"}}""");
        await s.Send("POST", $"/v1/threads/{thread}/runs/{completed}/cancel");
        await s.Send("POST", $"/v1/threads/{thread}/runs/{completed}/submit_tool_outputs", """{"tool_outputs":[{"tool_call_id":"call_x","output":"1"}]}""");

        // ---- cancelled mid-run, on the same thread ---------------------------------------------------
        var cancelled = (await s.Send("POST", $"/v1/threads/{thread}/runs", $$"""{"assistant_id":"{{forecaster}}","instructions":"Only this."}""")).Id;
        await s.Advance(1.5);
        await s.Send("GET", $"/v1/threads/{thread}/runs/{cancelled}");
        await s.Send("POST", $"/v1/threads/{thread}/runs/{cancelled}/cancel");
        await s.Send("GET", $"/v1/threads/{thread}/runs/{cancelled}");
        await s.Advance(0.5);
        await s.Send("GET", $"/v1/threads/{thread}/runs/{cancelled}");
        await s.Send("GET", $"/v1/threads/{thread}/messages?run_id={cancelled}");
        await s.Send("GET", $"/v1/threads/{thread}/runs/{cancelled}/steps");
        var runs = await s.Send("GET", $"/v1/threads/{thread}/runs?limit=1");
        await s.Send("GET", $"/v1/threads/{thread}/runs?limit=1&after={runs.Json.Str("last_id")}");
        await s.Send("GET", $"/v1/threads/{thread}/runs?order=asc");
        await s.Send("GET", $"/v1/threads/{thread}/messages");

        // ---- failed (header), incomplete (message directive), rate_limit (metadata) -------------------
        var failing = (await s.Send("POST", "/v1/threads", """{"messages":[{"role":"user","content":"Try it."}]}""")).Id;
        var failed = (await s.Send("POST", $"/v1/threads/{failing}/runs", $$"""{"assistant_id":"{{forecaster}}"}""", ("X-Mock-Scenario", "fail"))).Id;
        await s.Advance(0.5);
        await s.Send("GET", $"/v1/threads/{failing}/runs/{failed}");
        await s.Advance(2);
        await s.Send("GET", $"/v1/threads/{failing}/runs/{failed}");
        await s.Send("GET", $"/v1/threads/{failing}/runs/{failed}/steps");
        var limited = (await s.Send("POST", $"/v1/threads/{failing}/runs", $$$"""{"assistant_id":"{{{forecaster}}}","metadata":{"mock_scenario":"rate_limit"}}""")).Id;
        await s.Advance(2.5);
        await s.Send("GET", $"/v1/threads/{failing}/runs/{limited}");

        var cut = (await s.Send("POST", "/v1/threads", """{"messages":[{"role":"user","content":"Tell me everything. [mock:incomplete]"}]}""")).Id;
        var incomplete = (await s.Send("POST", $"/v1/threads/{cut}/runs", $$"""{"assistant_id":"{{forecaster}}","max_completion_tokens":300}""")).Id;
        await s.Advance(1);
        await s.Send("GET", $"/v1/threads/{cut}/runs/{incomplete}");
        await s.Advance(1.5);
        await s.Send("GET", $"/v1/threads/{cut}/runs/{incomplete}");
        await s.Send("GET", $"/v1/threads/{cut}/messages?run_id={incomplete}");
        await s.Send("GET", $"/v1/threads/{cut}/runs/{incomplete}/steps");

        // ---- requires_action, the conflicts an active run makes, then submit_tool_outputs -------------
        var tools = (await s.Send("POST", "/v1/threads", """{"messages":[{"role":"user","content":"Weather in Oslo?"}]}""")).Id;
        var waiting = (await s.Send("POST", $"/v1/threads/{tools}/runs",
            $$"""{"assistant_id":"{{forecaster}}","parallel_tool_calls":false}""", ("X-Mock-Scenario", "tool_call"))).Id;
        await s.Send("POST", $"/v1/threads/{tools}/runs", $$"""{"assistant_id":"{{forecaster}}"}""");
        await s.Send("POST", $"/v1/threads/{tools}/messages", """{"role":"user","content":"Hurry."}""");
        await s.Advance(2.5);
        var asking = await s.Send("GET", $"/v1/threads/{tools}/runs/{waiting}");
        await s.Send("GET", $"/v1/threads/{tools}/runs/{waiting}/steps");
        await s.Send("POST", $"/v1/threads/{tools}/runs/{waiting}/submit_tool_outputs", """{"tool_outputs":[{"tool_call_id":"call_unknown","output":"x"}]}""");
        await s.Send("POST", $"/v1/threads/{tools}/runs/{waiting}/submit_tool_outputs", $$"""{"tool_outputs":{{OutputsFor(asking.Json)}}}""");
        await s.Send("GET", $"/v1/threads/{tools}/runs/{waiting}");
        await s.Advance(0.5);
        await s.Send("GET", $"/v1/threads/{tools}/runs/{waiting}");
        await s.Advance(2);
        await s.Send("GET", $"/v1/threads/{tools}/runs/{waiting}");
        await s.Send("GET", $"/v1/threads/{tools}/runs/{waiting}/steps?order=asc");
        await s.Send("GET", $"/v1/threads/{tools}/messages?run_id={waiting}");

        // ---- expires while it waits for outputs --------------------------------------------------------
        var late = (await s.Send("POST", "/v1/threads", """{"messages":[{"role":"user","content":"Weather in Rome?"}]}""")).Id;
        var expiring = await s.Send("POST", $"/v1/threads/{late}/runs", $$"""{"assistant_id":"{{forecaster}}"}""", ("X-Mock-Scenario", "expire"));
        await s.Advance(2.5);
        await s.Send("GET", $"/v1/threads/{late}/runs/{expiring.Id}");
        await s.Send("POST", "/_mock/clock/advance", $$"""{"to":{{expiring.Json.Long("expires_at")}}}""");
        await s.Send("GET", $"/v1/threads/{late}/runs/{expiring.Id}");
        await s.Send("GET", $"/v1/threads/{late}/runs/{expiring.Id}/steps");

        // ---- file_search over a vector store, with and without include[] -------------------------------
        var search = (await s.Send("POST", "/v1/threads",
            """{"messages":[{"role":"user","content":"What does the report say?","attachments":[{"file_id":"file-attached","tools":[{"type":"file_search"}]}]}]}""")).Id;
        var searched = (await s.Send("POST", $"/v1/threads/{search}/runs", $$"""{"assistant_id":"{{librarian}}"}""")).Id;
        await s.Advance(3);
        await s.Send("GET", $"/v1/threads/{search}/runs/{searched}");
        var searchSteps = await s.Send("GET", $"/v1/threads/{search}/runs/{searched}/steps?order=asc&{IncludeContent}");
        await s.Send("GET", $"/v1/threads/{search}/runs/{searched}/steps?order=asc");
        await s.Send("GET", $"/v1/threads/{search}/runs/{searched}/steps/{searchSteps.Json.Ids()[0]}?{IncludeContent}");
        await s.Send("GET", $"/v1/threads/{search}/messages?run_id={searched}");
        await s.Send("GET", $"/v1/threads/{search}");

        // ---- code_interpreter with a file ----------------------------------------------------------------
        var code = (await s.Send("POST", "/v1/threads",
            """{"messages":[{"role":"user","content":"Sum the sales.","attachments":[{"file_id":"file-extra","tools":[{"type":"code_interpreter"}]}]}],"tool_resources":{"code_interpreter":{"file_ids":["file-q3"]}}}""")).Id;
        var coded = (await s.Send("POST", $"/v1/threads/{code}/runs", $$"""{"assistant_id":"{{analyst}}","temperature":0.2}""")).Id;
        await s.Advance(0.5);
        await s.Send("GET", $"/v1/threads/{code}/runs/{coded}/steps");
        await s.Advance(2.5);
        await s.Send("GET", $"/v1/threads/{code}/runs/{coded}");
        await s.Send("GET", $"/v1/threads/{code}/runs/{coded}/steps?order=asc");
        await s.Send("GET", $"/v1/threads/{code}/messages?run_id={coded}");

        // ---- create thread and run -----------------------------------------------------------------------
        var both = await s.Send("POST", "/v1/threads/runs",
            $$$"""{"assistant_id":"{{{forecaster}}}","thread":{"messages":[{"role":"user","content":"New thread, new run."}],"metadata":{"via":"create_and_run"}},"metadata":{"case":"thread_and_run"},"tool_choice":"none"}""");
        await s.Advance(3);
        await s.Send("GET", $"/v1/threads/{both.Json.Str("thread_id")}/runs/{both.Id}");
        await s.Send("GET", $"/v1/threads/{both.Json.Str("thread_id")}/messages");

        // ---- streams: create run, create thread and run, submit tool outputs, file search with include[] --
        var streamed = (await s.Send("POST", "/v1/threads", """{"messages":[{"role":"user","content":"Stream it."}]}""")).Id;
        var stream = await s.Open($"/v1/threads/{streamed}/runs", $$"""{"assistant_id":"{{forecaster}}","stream":true}""", ("X-Mock-Scenario", "complete"));
        await s.Advance(0.5);
        await s.Advance(1);
        await s.Send("GET", $"/v1/threads/{streamed}/runs/{(await stream.First()).Json().Str("id")}");
        await s.Advance(1.5);
        await stream.ReadToEnd();

        var toolStream = await s.Open("/v1/threads/runs",
            $$"""{"assistant_id":"{{forecaster}}","thread":{"messages":[{"role":"user","content":"Weather in Bergen?"}]},"stream":true}""", ("X-Mock-Scenario", "tool_call"));
        await s.Advance(2.5);
        var requiring = (await toolStream.ReadToEnd()).Last(e => e.Event == "thread.run.requires_action").Json();
        var submitStream = await s.Open($"/v1/threads/{requiring.Str("thread_id")}/runs/{requiring.Str("id")}/submit_tool_outputs",
            $$"""{"tool_outputs":{{OutputsFor(requiring)}},"stream":true}""");
        await s.Advance(2.5);
        await submitStream.ReadToEnd();

        var searchStreamed = (await s.Send("POST", "/v1/threads", "{}")).Id;
        var searchStream = await s.Open($"/v1/threads/{searchStreamed}/runs?{IncludeContent}", $$"""{"assistant_id":"{{librarian}}","stream":true}""");
        await s.Advance(3);
        await searchStream.ReadToEnd();

        // ---- the control API's reads ----------------------------------------------------------------------
        await s.Send("GET", "/_mock/runs");
        await s.Send("GET", $"/_mock/runs?status=completed&thread_id={tools}");
        await s.Send("GET", $"/_mock/runs?assistant_id={librarian}");
        await s.Send("GET", "/_mock/clock");

        // ---- errors ----------------------------------------------------------------------------------------
        await s.Send("GET", "/v1/assistants", null, ("OpenAI-Beta", null));
        await s.Send("GET", "/v1/assistants", null, ("OpenAI-Beta", "assistants=v1"));
        await s.Send("GET", "/v1/assistants/asst_doesnotexist000000000000");
        await s.Send("GET", "/v1/threads/thread_doesnotexist00000000000");
        await s.Send("GET", $"/v1/threads/{thread}/runs/run_doesnotexist0000000000000");
        await s.Send("GET", $"/v1/threads/{thread}/messages/msg_doesnotexist0000000000000");
        await s.Send("GET", $"/v1/threads/{thread}/runs/{completed}/steps/step_doesnotexist000000000000");
        await s.Send("POST", "/v1/assistants", "{}");
        await s.Send("POST", "/v1/assistants", """{"model":"gpt-4o",""");
        await s.Send("POST", "/v1/assistants", """{"model":"gpt-4o","temperature":"hot"}""");
        await s.Send("GET", "/v1/assistants?limit=0");
        await s.Send("GET", "/v1/assistants?order=sideways");
        await s.Send("POST", "/v1/threads", "{\"metadata\":{" + string.Join(",", Enumerable.Range(1, 17).Select(i => $"\"k{i}\":\"v\"")) + "}}");
        await s.Send("POST", $"/v1/threads/{thread}/runs", $$"""{"assistant_id":"{{forecaster}}"}""", ("X-Mock-Scenario", "no_such_scenario"));
        await s.Send("POST", $"/v1/threads/{thread}/runs", """{"assistant_id":"asst_doesnotexist000000000000"}""");
        await s.Send("DELETE", $"/v1/threads/{thread}/runs/{completed}");
        await s.Send("GET", "/v1/nothing_here");
        await s.Send("GET", "/v1/assistants", null, ("X-Mock-Fault", "429"));
        await s.Send("GET", "/v1/assistants", null, ("X-Mock-Fault", "500"));
        await s.Send("GET", "/v1/assistants", null, ("X-Mock-Fault", "503"));
    }

    private static string OutputsFor(JsonElement run) => JsonSerializer.Serialize(
        run.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls").EnumerateArray()
            .Select(call => new Dictionary<string, string> { ["tool_call_id"] = call.Str("id"), ["output"] = "sunny, 21 C" }));

    /// <summary>The committed transcript, in the source tree (found up from the test binary), so that an update rewrites what git tracks.</summary>
    private static string GoldenPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MockRunsServer.sln")))
            {
                return Path.Combine(dir.FullName, GoldenRelativePath);
            }
        }
        throw new InvalidOperationException($"No MockRunsServer.sln above {AppContext.BaseDirectory}: cannot find {GoldenRelativePath}.");
    }

    /// <summary>Where two transcripts part: the first differing line, its step, its column, and the lines around it in both.</summary>
    internal static string Difference(string expected, string actual, string path)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        var line = 0;
        while (line < want.Length && line < got.Length && want[line] == got[line])
        {
            line++;
        }
        var step = got.Take(line + 1).LastOrDefault(text => text.StartsWith("=== ", StringComparison.Ordinal))?[4..] ?? "before the first step";
        var wanted = line < want.Length ? want[line] : null;
        var gotten = line < got.Length ? got[line] : null;
        var column = 0;
        while (wanted is not null && gotten is not null && column < wanted.Length && column < gotten.Length && wanted[column] == gotten[column])
        {
            column++;
        }

        var report = new StringBuilder()
            .Append($"The transcript differs from {path} at line {line + 1} ({(step.StartsWith("before", StringComparison.Ordinal) ? step : "step " + step)}), column {column + 1}.\n")
            .Append($"If the change is meant, run {UpdateVariable}=1 dotnet test --filter GoldenTranscript and review the file's diff.\n\n");
        if (wanted is not null && gotten is not null && Math.Max(wanted.Length, gotten.Length) > 200)
        {
            report.Append($"  expected …{Around(wanted, column)}…\n  actual   …{Around(gotten, column)}…\n\n");
        }
        for (var i = Math.Max(0, line - 5); i < line; i++)
        {
            report.Append($"  {i + 1} | {Shorten(want[i])}\n");
        }
        for (var i = line; i < Math.Min(want.Length, line + 4); i++)
        {
            report.Append($"- {i + 1} | {Shorten(want[i])}\n");
        }
        if (line >= want.Length)
        {
            report.Append("- (end of the golden transcript)\n");
        }
        for (var i = line; i < Math.Min(got.Length, line + 4); i++)
        {
            report.Append($"+ {i + 1} | {Shorten(got[i])}\n");
        }
        if (line >= got.Length)
        {
            report.Append("+ (end of this run's transcript)\n");
        }
        return report.ToString();

        static string Around(string text, int column) => text[Math.Max(0, column - 60)..Math.Min(text.Length, column + 60)];
        static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + $"… ({text.Length} characters)";
    }

    /// <summary>
    /// Sends the script's requests and writes what came back. Each step: <c>=== n METHOD path</c>, the
    /// request's own headers (<c>&gt;</c>) and body, the status and headers (<c>&lt;</c>, by name), a
    /// blank line, then the body exactly as received and a blank line.
    /// </summary>
    private sealed class Session(HttpClient http)
    {
        /// <summary>How long a stream may take to end once its run has: a guard against a hang, not an assertion on time.</summary>
        private static readonly TimeSpan StreamGuard = TimeSpan.FromSeconds(15);

        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        /// <summary>One entry a step; a stream's is filled in when it ends, so the steps stay in the order they were sent.</summary>
        private readonly List<StringBuilder> steps = [];

        public string Transcript() => string.Concat(steps);

        public Task Advance(double seconds) =>
            Send("POST", "/_mock/clock/advance", $$"""{"seconds":{{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""");

        public async Task<Answer> Send(string method, string path, string? body = null, params (string Name, string? Value)[] headers)
        {
            using var request = Request(method, path, body, headers);
            using var response = await http.SendAsync(request);
            var text = StrictUtf8.GetString(await response.Content.ReadAsByteArrayAsync());
            var entry = Entry(method, path, body, headers, response);
            entry.Append(text).Append("\n\n");
            return new Answer((int)response.StatusCode, text);
        }

        /// <summary>POSTs a <c>stream: true</c> request and hands back the open stream once its headers came.</summary>
        public async Task<OpenStream> Open(string path, string body, params (string Name, string? Value)[] headers)
        {
            using var request = Request("POST", path, body, headers);
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                // Read only when it is not a stream: a stream's body ends with its run, and the clock stands still.
                Assert.Fail($"Expected an event stream from POST {path}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            return new OpenStream(response, Entry("POST", path, body, headers, response));
        }

        private static HttpRequestMessage Request(string method, string path, string? body, (string Name, string? Value)[] headers)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (!headers.Any(header => header.Name == "OpenAI-Beta"))
            {
                request.Headers.TryAddWithoutValidation("OpenAI-Beta", "assistants=v2");
            }
            foreach (var (name, value) in headers.Where(header => header.Value is not null))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }
            return request;
        }

        private StringBuilder Entry(string method, string path, string? body, (string Name, string? Value)[] headers, HttpResponseMessage response)
        {
            var entry = new StringBuilder().Append($"=== {steps.Count + 1:000} {method} {path}\n");
            steps.Add(entry);
            foreach (var (name, value) in headers)
            {
                entry.Append(value is null ? $"> (no {name} header)\n" : $"> {name}: {value}\n");
            }
            if (body is not null)
            {
                entry.Append("> ").Append(body).Append('\n');
            }
            entry.Append($"< {(int)response.StatusCode}\n");
            foreach (var (name, value) in Headers(path, response.Headers, response.Content.Headers))
            {
                entry.Append($"< {name}: {value}\n");
            }
            return entry.Append('\n');
        }

        /// <summary>
        /// The answer's headers that the seed and the manual clock decide, sorted by name: HttpClient
        /// keeps the content headers apart from the others, so the order they came in is not known here.
        /// </summary>
        private static IEnumerable<(string Name, string Value)> Headers(string path, HttpResponseHeaders headers, HttpContentHeaders content) =>
            headers.Concat(content)
                .Select(header => (Name: header.Key.ToLowerInvariant(), Value: string.Join(", ", header.Value)))
                .Where(header => Decided(path, header.Name))
                .OrderBy(header => header.Name, StringComparer.Ordinal);

        private static bool Decided(string path, string name) => name switch
        {
            // The wall clock's: how long the server took, and (on a real socket) when it answered.
            "openai-processing-ms" or "date" => false,
            // Drawn from the seed on the OpenAI routes; the control API's are unseeded on purpose
            // (README, Time and determinism), so that looking at the server shifts no draw.
            "x-request-id" => !path.StartsWith("/_mock", StringComparison.Ordinal),
            _ => true,
        };

        /// <summary>A live stream: its bytes are kept as they come, and go into its step, decoded, when it ends.</summary>
        public sealed class OpenStream(HttpResponseMessage response, StringBuilder entry)
        {
            private readonly MemoryStream received = new();
            private Stream? body;

            /// <summary>The first event (the run's or the thread's creation), read while the stream stays open.</summary>
            public async Task<ServerSentEvent> First()
            {
                body ??= await response.Content.ReadAsStreamAsync();
                using var guard = new CancellationTokenSource(StreamGuard);
                var chunk = new byte[4096];
                while (received.ToArray().AsSpan().IndexOf("\n\n"u8) < 0)
                {
                    var read = await body.ReadAsync(chunk, guard.Token);
                    Assert.True(read > 0, "The stream ended before its first event.");
                    received.Write(chunk, 0, read);
                }
                return ServerSentEvent.Parse(StrictUtf8.GetString(received.ToArray()))[0];
            }

            /// <summary>Reads the stream to its end (its run must have ended or be waiting by now) and writes its raw text into its step.</summary>
            public async Task<IReadOnlyList<ServerSentEvent>> ReadToEnd()
            {
                using (response)
                {
                    body ??= await response.Content.ReadAsStreamAsync();
                    using var guard = new CancellationTokenSource(StreamGuard);
                    await body.CopyToAsync(received, guard.Token);
                    var text = StrictUtf8.GetString(received.ToArray());
                    entry.Append(text).Append("\n\n");
                    return ServerSentEvent.Parse(text);
                }
            }
        }
    }

    private sealed record Answer(int Status, string Text)
    {
        private JsonElement? json;

        public JsonElement Json => json ??= JsonDocument.Parse(Text).RootElement.Clone();

        public string Id => Json.Str("id");
    }
}
