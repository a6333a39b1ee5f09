using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Http;

/// <summary>What every answer has in common (contract §1, spec/runs.md §1, §7): the /v1 prefix and its alias,
/// OpenAI's headers, the beta header, Invalid URL answers, body limits, nulls written and snake_case.</summary>
public sealed partial class WireFormatTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private ApiClient WithoutBeta()
    {
        var client = factory.Api();
        client.Headers.Remove("OpenAI-Beta");
        return client;
    }

    // ---- /v1 and the unprefixed alias ------------------------------------------------------

    [Fact]
    public async Task Every_operation_works_without_the_v1_prefix()
    {
        var assistant = (await api.Post("/assistants", """
            {"model":"gpt-4o","tools":[{"type":"function","function":{"name":"lookup"}}]}
            """)).Ok().Id;
        (await api.Get("/assistants")).Ok();
        (await api.Get($"/assistants/{assistant}")).Ok();
        (await api.Post($"/assistants/{assistant}", new { name = "plain" })).Ok();

        var thread = (await api.Post("/threads", "{}")).Ok().Id;
        (await api.Get($"/threads/{thread}")).Ok();
        (await api.Post($"/threads/{thread}", new { metadata = new { a = "b" } })).Ok();
        var message = (await api.Post($"/threads/{thread}/messages", new { role = "user", content = "hi" })).Ok().Id;
        (await api.Get($"/threads/{thread}/messages")).Ok();
        (await api.Get($"/threads/{thread}/messages/{message}")).Ok();
        (await api.Post($"/threads/{thread}/messages/{message}", new { metadata = new { a = "b" } })).Ok();
        (await api.Delete($"/threads/{thread}/messages/{message}")).Ok();

        var run = (await api.Post($"/threads/{thread}/runs", new { assistant_id = assistant }, ("X-Mock-Scenario", "tool_call"))).Ok().Id;
        (await api.Get($"/threads/{thread}/runs")).Ok();
        (await api.Post($"/threads/{thread}/runs/{run}", new { metadata = new { a = "b" } })).Ok();
        await api.Advance(2.5);
        var waiting = (await api.Get($"/threads/{thread}/runs/{run}")).Ok().Json;
        Assert.Equal("requires_action", waiting.Status());
        var calls = waiting.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls").EnumerateArray()
            .Select(call => new { tool_call_id = call.Str("id"), output = "42" }).ToArray();
        (await api.Post($"/threads/{thread}/runs/{run}/submit_tool_outputs", new { tool_outputs = calls })).Ok();
        var step = (await api.Get($"/threads/{thread}/runs/{run}/steps")).Ok().Json.Ids().First();
        (await api.Get($"/threads/{thread}/runs/{run}/steps/{step}")).Ok();
        (await api.Post($"/threads/{thread}/runs/{run}/cancel")).Ok();

        var other = (await api.Post("/threads/runs", new { assistant_id = assistant })).Ok().Json;
        (await api.Delete($"/threads/{other.Str("thread_id")}")).Ok();
        (await api.Delete($"/threads/{thread}")).Ok();
        (await api.Delete($"/assistants/{assistant}")).Ok();
    }

    [Fact]
    public async Task The_prefixed_and_unprefixed_routes_serve_the_same_objects()
    {
        var id = (await api.Post("/v1/assistants", new { model = "gpt-4o", name = "Same" })).Ok().Id;

        var prefixed = (await api.Get($"/v1/assistants/{id}")).Ok();
        var plain = (await api.Get($"/assistants/{id}")).Ok();

        Assert.Equal(prefixed.Text, plain.Text);
    }

    // ---- headers -------------------------------------------------------------------------

    public static TheoryData<string, string> EveryKindOfAnswer => new()
    {
        { "GET", "/v1/assistants" },
        { "GET", "/assistants" },
        { "POST", "/v1/threads" },
        { "GET", "/v1/threads/thread_doesnotexist000000000" },
        { "GET", "/v1/threads/asst_wrongkind" },
        { "GET", "/v1/foo" },
        { "DELETE", "/v1/threads/thread_x/runs/run_y" },
        { "GET", "/_mock/clock" },
        { "GET", "/healthz" },
    };

    [Theory]
    [MemberData(nameof(EveryKindOfAnswer))]
    public async Task Every_answer_carries_the_request_id_version_and_processing_time_headers(string method, string path)
    {
        var response = await api.Send(new HttpMethod(method), path, method == "POST" ? "{}" : null);

        AssertOpenAIHeaders(response);
    }

    [Fact]
    public async Task A_refusal_for_a_missing_beta_header_carries_the_headers_too()
    {
        var response = await WithoutBeta().Get("/v1/assistants");

        response.Error(HttpStatusCode.BadRequest);
        AssertOpenAIHeaders(response);
    }

    [Fact]
    public async Task The_organization_and_project_a_request_names_come_back_in_the_answer()
    {
        var client = factory.Api();
        client.Headers["OpenAI-Organization"] = "org-acme";
        client.Headers["OpenAI-Project"] = "proj_abc123";

        var response = (await client.Get("/v1/assistants")).Ok();

        Assert.Equal("org-acme", response.Header("openai-organization"));
        Assert.Equal("proj_abc123", response.Header("openai-project"));
    }

    [Fact]
    public async Task An_organization_that_cannot_be_a_response_header_gets_the_default_instead()
    {
        var client = factory.Api();
        client.Headers["OpenAI-Organization"] = "caf\u00e9";

        var response = (await client.Get("/v1/assistants")).Ok();

        Assert.Equal("user-mockrunsserver", response.Header("openai-organization"));
    }

    [Fact]
    public async Task Each_request_gets_its_own_request_id()
    {
        var first = await api.Get("/v1/assistants");
        var second = await api.Get("/v1/assistants");

        Assert.NotEqual(first.Header("x-request-id"), second.Header("x-request-id"));
    }

    [Fact]
    public void Request_ids_draw_every_hex_digit_in_every_position()
    {
        // OpenAI's ids are 16 random bytes in hex; a non-negative 64-bit draw would leave the first digit of each half at 0–7.
        var requestIds = new MockRunsServer.Http.RequestIds(Microsoft.Extensions.Options.Options.Create(new MockRunsServer.Options.MockOptions()));
        var ids = Enumerable.Range(0, 256).Select(_ => requestIds.Next(forSession: true)).ToList();

        Assert.All(ids, id => Assert.Matches(RequestId(), id));
        for (var position = 4; position < 36; position++)
        {
            Assert.Contains(ids, id => id[position] >= '8');
        }
    }

    private static void AssertOpenAIHeaders(ApiResponse response)
    {
        Assert.Matches(RequestId(), response.Header("x-request-id") ?? "");
        Assert.Equal("2020-10-01", response.Header("openai-version"));
        Assert.Equal("user-mockrunsserver", response.Header("openai-organization"));
        Assert.Equal("proj_mockrunsserver", response.Header("openai-project"));
        var processing = response.Header("openai-processing-ms");
        Assert.True(long.TryParse(processing, out var ms) && ms >= 0, $"openai-processing-ms was '{processing}'");
        Assert.Equal("application/json", response.ContentType?.MediaType);
    }

    [GeneratedRegex("^req_[0-9a-f]{32}$")]
    private static partial Regex RequestId();

    // ---- the beta header -----------------------------------------------------------------

    [Theory]
    [InlineData("GET", "/v1/assistants")]
    [InlineData("POST", "/v1/threads")]
    [InlineData("GET", "/threads/thread_abc")]
    [InlineData("POST", "/v1/threads/runs")]
    [InlineData("GET", "/V1/Assistants")]
    [InlineData("GET", "/THREADS/thread_abc")]
    public async Task Without_the_beta_header_the_answer_is_openais_invalid_beta_400(string method, string path)
    {
        var response = await WithoutBeta().Send(new HttpMethod(method), path, method == "POST" ? "{}" : null);

        var error = response.Error(HttpStatusCode.BadRequest);
        Assert.Equal(
            "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by setting the header 'OpenAI-Beta: assistants=v2'.",
            error.Str("message"));
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.True(error.IsNull("param"));
        Assert.Equal("invalid_beta", error.Str("code"));
    }

    [Theory]
    [InlineData("assistants=v1")]
    [InlineData("assistants=v1, realtime=v1")]
    public async Task A_v1_beta_header_is_told_the_v1_api_is_deprecated(string header)
    {
        var client = WithoutBeta();
        client.Headers["OpenAI-Beta"] = header;

        var error = (await client.Get("/v1/assistants")).Error(HttpStatusCode.BadRequest);

        Assert.Equal(
            "The v1 Assistants API has been deprecated. Please try again by setting the header 'OpenAI-Beta: assistants=v2'. See the migration guide for more information: https://platform.openai.com/docs/assistants/migration.",
            error.Str("message"));
        Assert.True(error.IsNull("param"));
        Assert.Equal("invalid_beta", error.Str("code"));
    }

    [Fact]
    public async Task A_request_refused_for_the_beta_header_creates_nothing()
    {
        var before = (await api.Get("/v1/assistants?limit=100")).Ok().Json.Ids();

        (await WithoutBeta().Post("/v1/assistants", new { model = "gpt-4o" })).Error(HttpStatusCode.BadRequest);

        Assert.Equal(before, (await api.Get("/v1/assistants?limit=100")).Ok().Json.Ids());
    }

    [Fact]
    public async Task The_beta_header_is_accepted_among_other_beta_values()
    {
        var client = WithoutBeta();
        client.Headers["OpenAI-Beta"] = "realtime=v1, assistants=v2";

        (await client.Get("/v1/assistants")).Ok();
    }

    [Fact]
    public async Task RequireBetaHeader_false_serves_requests_without_it()
    {
        using var server = MockServerFactory.With(("Mock:RequireBetaHeader", "false"));
        var client = server.Api();
        client.Headers.Remove("OpenAI-Beta");

        var id = (await client.Post("/v1/assistants", new { model = "gpt-4o" })).Ok().Id;
        (await client.Get($"/assistants/{id}")).Ok();
    }

    [Theory]
    [InlineData("GET", "/_mock/clock")]
    [InlineData("GET", "/_mock/runs")]
    [InlineData("POST", "/_mock/clock/advance")]
    [InlineData("GET", "/healthz")]
    public async Task The_control_api_and_health_need_no_beta_header(string method, string path)
    {
        var response = await WithoutBeta().Send(new HttpMethod(method), path, method == "POST" ? """{"seconds":0.001}""" : null);

        response.Ok();
    }

    // ---- unknown routes and methods ------------------------------------------------------

    [Theory]
    [InlineData("GET", "/v1/foo")]
    [InlineData("POST", "/v1/threads/thread_abc/foo")]
    [InlineData("GET", "/v1/assistants/asst_abc/extra/segments")]
    [InlineData("GET", "/nothing-here")]
    public async Task An_unknown_route_is_a_404_invalid_url(string method, string path)
    {
        var response = await api.Send(new HttpMethod(method), path, method == "POST" ? "{}" : null);

        var error = response.Error(HttpStatusCode.NotFound);
        Assert.Equal($"Invalid URL ({method} {path})", error.Str("message"));
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.True(error.IsNull("param"));
        Assert.True(error.IsNull("code"));
    }

    [Theory]
    [InlineData("DELETE", "/v1/threads/thread_abc/runs/run_abc")]
    [InlineData("PUT", "/v1/assistants")]
    [InlineData("PATCH", "/v1/assistants/asst_abc")]
    [InlineData("GET", "/v1/threads")]
    [InlineData("DELETE", "/v1/threads/thread_abc/runs/run_abc/steps/step_abc")]
    [InlineData("GET", "/v1/threads/thread_abc/runs/run_abc/cancel")]
    [InlineData("DELETE", "/threads/thread_abc/runs/run_abc")]
    [InlineData("PUT", "/_mock/clock")]
    public async Task A_known_path_with_a_method_it_does_not_serve_is_a_404_invalid_url(string method, string path)
    {
        var response = await api.Send(new HttpMethod(method), path, null);

        var error = response.Error(HttpStatusCode.NotFound);
        Assert.Equal($"Invalid URL ({method} {path})", error.Str("message"));
    }

    [Fact]
    public async Task A_wrong_method_on_a_real_run_leaves_the_run_alone()
    {
        var (_, thread, run) = await api.StartRun();
        var before = (await api.Get($"/v1/threads/{thread}/runs/{run}")).Ok().Text;

        (await api.Delete($"/v1/threads/{thread}/runs/{run}")).Error(HttpStatusCode.NotFound);

        Assert.Equal(before, (await api.Get($"/v1/threads/{thread}/runs/{run}")).Ok().Text);
    }

    // ---- bodies --------------------------------------------------------------------------

    [Fact]
    public async Task A_json_body_sent_with_another_content_type_is_still_read_as_json()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/assistants")
        {
            Content = new StringContent("""{"model":"gpt-4o","name":"curl -d"}""", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("OpenAI-Beta", "assistants=v2");

        using var response = await api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("curl -d", body.RootElement.Str("name"));
    }

    [Theory]
    [InlineData("application/jsonl")]
    [InlineData("application/json-patch+json")]
    [InlineData("application/json; charset=utf-8")]
    public async Task A_json_body_under_a_content_type_that_only_starts_like_json_is_read_as_json(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/assistants")
        {
            Content = new StringContent("""{"model":"gpt-4o"}""", Encoding.UTF8),
        };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add("OpenAI-Beta", "assistants=v2");

        using var response = await api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_in_the_envelope_and_creates_nothing()
    {
        using var server = MockServerFactory.With(("Mock:MaxRequestBodyBytes", "1024"));
        var client = server.Api();

        var response = await client.Post("/v1/assistants", new { model = "gpt-4o", instructions = new string('x', 2000) });

        var error = response.Error(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.Equal("request_too_large", error.Str("code"));
        AssertOpenAIHeaders(response);
        Assert.Empty((await client.Get("/v1/assistants")).Ok().Json.Ids());
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_a_413_too()
    {
        using var server = MockServerFactory.With(("Mock:MaxRequestBodyBytes", "1024"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/threads")
        {
            Content = new UnknownLengthContent(Encoding.UTF8.GetBytes($$$"""{"metadata":{"k":"{{{new string('y', 4000)}}}"}}""")),
        };
        request.Headers.Add("OpenAI-Beta", "assistants=v2");

        using var response = await server.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("request_too_large", body.RootElement.GetProperty("error").Str("code"));
    }

    [Fact]
    public async Task A_body_under_the_limit_is_served()
    {
        using var server = MockServerFactory.With(("Mock:MaxRequestBodyBytes", "1024"));

        (await server.Api().Post("/v1/assistants", new { model = "gpt-4o", instructions = new string('x', 500) })).Ok();
    }

    /// <summary>A body whose length is not known up front, so it is sent chunked.</summary>
    private sealed class UnknownLengthContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    // ---- JSON ----------------------------------------------------------------------------

    [Fact]
    public async Task Nullable_fields_are_written_as_null_not_omitted()
    {
        var assistant = (await api.Post("/v1/assistants", new { model = "gpt-4o" })).Ok();
        var thread = await api.CreateThread();
        var run = (await api.CreateRun(thread, new { assistant_id = assistant.Id })).Ok();

        foreach (var field in new[] { "name", "description", "instructions", "reasoning_effort" })
        {
            Assert.Contains($"\"{field}\":null", assistant.Text);
        }
        foreach (var field in new[] { "started_at", "cancelled_at", "failed_at", "completed_at", "required_action", "last_error", "incomplete_details", "usage", "max_prompt_tokens" })
        {
            Assert.Contains($"\"{field}\":null", run.Text);
        }
    }

    [Fact]
    public async Task Whole_floats_keep_their_decimal_point_as_the_api_writes_them()
    {
        var assistant = (await api.Post("/v1/assistants", new { model = "gpt-4o", temperature = 0.7 })).Ok();
        var thread = await api.CreateThread();
        var run = (await api.CreateRun(thread, new { assistant_id = assistant.Id, top_p = 1, temperature = 2 })).Ok();
        var listed = (await api.Get($"/v1/threads/{thread}/runs")).Ok();

        Assert.Contains("\"top_p\":1.0,\"temperature\":0.7,", assistant.Text);
        Assert.Contains("\"temperature\":2.0,\"top_p\":1.0,", run.Text);
        Assert.Contains("\"temperature\":2.0,\"top_p\":1.0,", listed.Text);
        Assert.Equal(2.0, run.Json.GetProperty("temperature").GetDouble());
    }

    [Fact]
    public async Task Every_key_the_server_writes_is_snake_case()
    {
        var (_, thread, run) = await api.StartRun(new { model = "gpt-4o", tools = new object[] { new { type = "function", function = new { name = "lookUp" } } } });
        await api.Advance(2.5);

        var bodies = new[]
        {
            (await api.Get("/v1/assistants")).Ok().Json,
            (await api.Get($"/v1/threads/{thread}")).Ok().Json,
            (await api.Get($"/v1/threads/{thread}/messages")).Ok().Json,
            (await api.Get($"/v1/threads/{thread}/runs")).Ok().Json,
            (await api.Get($"/v1/threads/{thread}/runs/{run}/steps")).Ok().Json,
            (await api.Get("/_mock/clock")).Ok().Json,
            (await api.Get("/healthz")).Ok().Json,
            (await api.Get("/v1/foo")).Json,
        };

        foreach (var body in bodies)
        {
            AssertSnakeCase(body, "$");
        }
    }

    /// <summary>Every key is snake_case, except inside user data (metadata, JSON schemas).</summary>
    private static void AssertSnakeCase(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                Assert.Matches(SnakeCase(), property.Name);
                if (property.Name is not ("metadata" or "parameters" or "schema"))
                {
                    AssertSnakeCase(property.Value, $"{path}.{property.Name}");
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                AssertSnakeCase(item, $"{path}[]");
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
