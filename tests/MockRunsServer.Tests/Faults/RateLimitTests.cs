using System.Net;
using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Tests.Runs;

namespace MockRunsServer.Tests.Faults;

/// <summary>
/// <c>Mock:RateLimits:RequestsPerMinute</c> = 3 on the manual clock: a bucket of three per key,
/// refilled one every 20 s, with exact x-ratelimit-* and retry-after values. Each test uses its own key.
/// </summary>
public sealed class RateLimitTests(RateLimitTests.Server server) : IClassFixture<RateLimitTests.Server>
{
    public sealed class Server() : MockServerFactory(new Dictionary<string, string?> { ["Mock:RateLimits:RequestsPerMinute"] = "3" });

    // OpenAI's wording: a request that runs no model names the organization only, one that runs a model names it first.
    private const string LimitMessage =
        "Rate limit reached for organization org-mock on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. " +
        "Visit https://platform.openai.com/account/rate-limits to learn more.";

    private static string ModelLimitMessage(string model) =>
        $"Rate limit reached for {model} in organization org-mock on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. " +
        "Visit https://platform.openai.com/account/rate-limits to learn more.";

    private ApiClient Api(string key)
    {
        var api = server.Api();
        api.Headers["Authorization"] = $"Bearer {key}";
        return api;
    }

    [Fact]
    public async Task Each_admitted_request_reports_the_remaining_budget_and_when_it_is_full_again()
    {
        var api = Api("sk-budget");

        var answers = new[] { await api.Get("/v1/assistants"), await api.Get("/v1/assistants"), await api.Get("/v1/assistants") };

        Assert.All(answers, answer => Assert.Equal("3", answer.Ok().Header("x-ratelimit-limit-requests")));
        Assert.Equal(["2", "1", "0"], answers.Select(answer => answer.Header("x-ratelimit-remaining-requests")));
        Assert.Equal(["20s", "40s", "1m0s"], answers.Select(answer => answer.Header("x-ratelimit-reset-requests")));
        Assert.All(answers, answer => Assert.Null(answer.Header("x-ratelimit-limit-tokens")));
    }

    [Fact]
    public async Task The_request_over_the_limit_gets_OpenAIs_429()
    {
        var api = Api("sk-over");
        await Spend(api, 3);

        var response = await api.Get("/v1/assistants");

        var error = response.Error(HttpStatusCode.TooManyRequests);
        Assert.Equal(LimitMessage, error.Str("message"));
        Assert.Equal("requests", error.Str("type"));
        Assert.Equal("rate_limit_exceeded", error.Str("code"));
        Assert.True(error.IsNull("param"));
    }

    [Fact]
    public async Task A_refused_run_create_names_its_assistant_s_model()
    {
        var setup = Api("sk-run-setup");
        var assistant = await setup.CreateAssistant(new { model = "gpt-4o-mini" });
        var thread = await setup.CreateThread();
        var api = Api("sk-run-model");
        await Spend(api, 3);

        var response = await api.CreateRun(thread, new { assistant_id = assistant });

        Assert.Equal(ModelLimitMessage("gpt-4o-mini"), response.Error(HttpStatusCode.TooManyRequests).Str("message"));
    }

    [Fact]
    public async Task A_refused_run_create_names_the_model_it_asks_for_over_its_assistant_s()
    {
        var setup = Api("sk-override-setup");
        var assistant = await setup.CreateAssistant(new { model = "gpt-4o-mini" });
        var thread = await setup.CreateThread();
        var api = Api("sk-override-model");
        await Spend(api, 3);

        var response = await api.Post($"/V1/Threads/{thread}/Runs", new { assistant_id = assistant, model = "gpt-4.1" });

        Assert.Equal(ModelLimitMessage("gpt-4.1"), response.Error(HttpStatusCode.TooManyRequests).Str("message"));
    }

    [Fact]
    public async Task A_refused_thread_and_run_create_names_its_assistant_s_model()
    {
        var assistant = await Api("sk-thread-run-setup").CreateAssistant(new { model = "gpt-4o" });
        var api = Api("sk-thread-run-model");
        await Spend(api, 3);

        var response = await api.Post("/threads/runs", new { assistant_id = assistant });

        Assert.Equal(ModelLimitMessage("gpt-4o"), response.Error(HttpStatusCode.TooManyRequests).Str("message"));
    }

    [Fact]
    public async Task A_refused_submit_of_tool_outputs_names_the_run_s_model()
    {
        var setup = Api("sk-submit-setup");
        var (_, thread, run) = await setup.StartRun(RunsApi.ToolAssistant, new { model = "gpt-4.1-mini", metadata = new { mock_scenario = "tool_call" } });
        await setup.Advance(2.5);
        var api = Api("sk-submit-model");
        await Spend(api, 3);

        var response = await api.Post($"/v1/threads/{thread}/runs/{run}/submit_tool_outputs", new { tool_outputs = Array.Empty<object>() });

        Assert.Equal(ModelLimitMessage("gpt-4.1-mini"), response.Error(HttpStatusCode.TooManyRequests).Str("message"));
    }

    [Fact]
    public async Task A_refused_run_create_for_an_assistant_that_does_not_exist_names_no_model()
    {
        var thread = await Api("sk-missing-setup").CreateThread();
        var api = Api("sk-missing-model");
        await Spend(api, 3);

        var response = await api.CreateRun(thread, new { assistant_id = "asst_doesnotexist0000000000" });

        Assert.Equal(LimitMessage, response.Error(HttpStatusCode.TooManyRequests).Str("message"));
    }

    [Theory]
    [InlineData("/v1/threads//runs")]
    [InlineData("/v1//threads/runs")]
    [InlineData("/v1/threads/runs//")]
    [InlineData("/v1/threads/{thread}//runs")]
    [InlineData("/v1/threads//{thread}/runs")]
    public async Task A_refused_post_to_a_path_with_an_empty_segment_names_no_model_as_no_route_runs_one(string path)
    {
        var setup = Api($"sk-empty-segment-setup-{path}");
        var assistant = await setup.CreateAssistant(new { model = "gpt-4o-mini" });
        var thread = await setup.CreateThread();
        var api = Api($"sk-empty-segment-{path}");
        await Spend(api, 3);

        var response = await api.Post(path.Replace("{thread}", thread), new { assistant_id = assistant });

        Assert.Equal(LimitMessage, response.Error(HttpStatusCode.TooManyRequests).Str("message"));
    }

    [Fact]
    public async Task A_refused_thread_and_run_create_with_a_trailing_slash_names_its_model_as_routing_takes_it()
    {
        var assistant = await Api("sk-trailing-setup").CreateAssistant(new { model = "gpt-4o" });
        var api = Api("sk-trailing-model");
        await Spend(api, 3);

        var response = await api.Post("/v1/threads/runs/", new { assistant_id = assistant });

        Assert.Equal(ModelLimitMessage("gpt-4o"), response.Error(HttpStatusCode.TooManyRequests).Str("message"));
    }

    [Theory]
    [InlineData("{\"model\":\"gpt-\\ud800\"}")]
    [InlineData("{\"\\udc00\":1,\"assistant_id\":\"asst_x\"}")]
    public async Task A_refused_run_create_whose_body_holds_a_lone_surrogate_is_still_the_429(string body)
    {
        var thread = await Api($"sk-surrogate-setup-{body.GetHashCode()}").CreateThread();
        var api = Api($"sk-surrogate-{body.GetHashCode()}");
        await Spend(api, 3);

        var response = await api.Post($"/v1/threads/{thread}/runs", body);

        Assert.Equal(LimitMessage, response.Error(HttpStatusCode.TooManyRequests).Str("message"));
    }

    [Fact]
    public async Task A_refused_run_create_whose_body_is_not_UTF_8_is_still_the_429()
    {
        var setup = Api("sk-utf8-setup");
        var thread = await setup.CreateThread();
        var api = Api("sk-utf8");
        await Spend(api, 3);
        using var content = new ByteArrayContent([.. "{\"model\":\""u8, 0xFF, 0xFE, .. "\"}"u8]);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/threads/{thread}/runs") { Content = content };
        foreach (var (name, value) in api.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("Rate limit reached for organization org-mock", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_429_says_exactly_when_to_come_back()
    {
        var api = Api("sk-retry");
        await Spend(api, 3);

        var response = await api.Get("/v1/assistants");

        response.Error(HttpStatusCode.TooManyRequests);
        Assert.Equal("20", response.Header("retry-after"));
        Assert.Equal("20000", response.Header("retry-after-ms"));
        Assert.Equal("3", response.Header("x-ratelimit-limit-requests"));
        Assert.Equal("0", response.Header("x-ratelimit-remaining-requests"));
        Assert.Equal("1m0s", response.Header("x-ratelimit-reset-requests"));
    }

    [Fact]
    public async Task The_budget_refills_continuously_with_the_clock()
    {
        var api = Api("sk-refill");
        await Spend(api, 3);

        await api.Advance(20);
        var admitted = (await api.Get("/v1/assistants")).Ok();
        await api.Advance(7.5);
        var refused = await api.Get("/v1/assistants");

        Assert.Equal("0", admitted.Header("x-ratelimit-remaining-requests"));
        Assert.Equal("1m0s", admitted.Header("x-ratelimit-reset-requests"));
        refused.Error(HttpStatusCode.TooManyRequests);
        Assert.Equal("12500", refused.Header("retry-after-ms"));
        Assert.Equal("13", refused.Header("retry-after"));
        Assert.Equal("52.5s", refused.Header("x-ratelimit-reset-requests"));
    }

    [Fact]
    public async Task A_minute_later_the_budget_is_full_again()
    {
        var api = Api("sk-full");
        await Spend(api, 3);

        await api.Advance(60);
        var response = (await api.Get("/v1/assistants")).Ok();

        Assert.Equal("2", response.Header("x-ratelimit-remaining-requests"));
        Assert.Equal("20s", response.Header("x-ratelimit-reset-requests"));
    }

    [Fact]
    public async Task A_refused_request_costs_nothing_and_creates_nothing()
    {
        var api = Api("sk-refused");
        await Spend(api, 3);
        var threads = (await api.Get("/healthz")).Ok().Json.GetProperty("threads").GetInt32();

        (await api.Post("/v1/threads", new { })).Error(HttpStatusCode.TooManyRequests);
        (await api.Post("/v1/threads", new { })).Error(HttpStatusCode.TooManyRequests);
        await api.Advance(20);

        Assert.Equal(threads, (await api.Get("/healthz")).Ok().Json.GetProperty("threads").GetInt32());
        Assert.Equal("0", (await api.Get("/v1/assistants")).Ok().Header("x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task An_injected_fault_spends_nothing_from_the_budget()
    {
        var api = Api("sk-faulted");

        (await api.Get("/v1/assistants", ("X-Mock-Fault", "500"))).Error(HttpStatusCode.InternalServerError);

        Assert.Equal("2", (await api.Get("/v1/assistants")).Ok().Header("x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task An_injected_429_reports_the_caller_s_budget_as_it_stands_and_only_the_limits_set()
    {
        var api = Api("sk-injected");
        (await api.Get("/v1/assistants")).Ok();

        var response = await api.Get("/v1/assistants", ("X-Mock-Fault", "429"));

        // A capacity 429 is not the caller's budget running out: the headers agree with the answers around it.
        response.Error(HttpStatusCode.TooManyRequests);
        Assert.Equal("3", response.Header("x-ratelimit-limit-requests"));
        Assert.Equal("2", response.Header("x-ratelimit-remaining-requests"));
        Assert.Equal("20s", response.Header("x-ratelimit-reset-requests"));
        // OpenAI sent both dimensions: the one without a limit shows the nominal budget.
        Assert.Equal("30000", response.Header("x-ratelimit-limit-tokens"));
        Assert.Equal("30000", response.Header("x-ratelimit-remaining-tokens"));
        Assert.Equal("1", (await api.Get("/v1/assistants")).Ok().Header("x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task Each_key_has_a_budget_of_its_own()
    {
        await Spend(Api("sk-first"), 3);

        var other = (await Api("sk-second").Get("/v1/assistants")).Ok();

        Assert.Equal("2", other.Header("x-ratelimit-remaining-requests"));
        (await Api("sk-first").Get("/v1/assistants")).Error(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Requests_without_a_key_share_one_anonymous_budget()
    {
        (await server.Api().Get("/v1/assistants")).Ok();

        var second = (await server.Api().Get("/v1/assistants")).Ok();

        Assert.Equal("1", second.Header("x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task Errors_on_the_OpenAI_routes_count_and_carry_the_headers_too()
    {
        var api = Api("sk-errors");

        var missing = await api.Get("/v1/threads/thread_doesnotexist");

        missing.Error(HttpStatusCode.NotFound);
        Assert.Equal("2", missing.Header("x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task The_control_API_is_never_limited()
    {
        var api = Api("sk-control");
        await Spend(api, 3);

        for (var i = 0; i < 5; i++)
        {
            var clock = (await api.Get("/_mock/clock")).Ok();
            Assert.Null(clock.Header("x-ratelimit-remaining-requests"));
        }
    }

    private static async Task Spend(ApiClient api, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            (await api.Get("/v1/assistants")).Ok();
        }
    }
}
