using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Faults;

/// <summary>Faults forced with the X-Mock-Fault header: what each looks like, and that it changes nothing.</summary>
public sealed class InjectedFaultTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task A_forced_429_has_OpenAIs_rate_limit_body()
    {
        var response = await api.Get("/v1/assistants", ("X-Mock-Fault", "429"));

        var error = response.Error(HttpStatusCode.TooManyRequests);
        Assert.Equal("Rate limit reached for requests", error.Str("message"));
        Assert.Equal("requests", error.Str("type"));
        Assert.Equal("rate_limit_exceeded", error.Str("code"));
        Assert.True(error.IsNull("param"));
    }

    [Fact]
    public async Task A_forced_429_carries_retry_after_and_the_rate_limit_headers()
    {
        var response = await api.Get("/v1/assistants", ("X-Mock-Fault", "429"));

        Assert.Equal("1", response.Header("retry-after"));
        Assert.Equal("1000", response.Header("retry-after-ms"));
        Assert.Equal("500", response.Header("x-ratelimit-limit-requests"));
        Assert.Equal("0", response.Header("x-ratelimit-remaining-requests"));
        // Reset is the time until the budget is full again (OpenAI's meaning): a minute from empty.
        Assert.Equal("1m0s", response.Header("x-ratelimit-reset-requests"));
        Assert.Equal("30000", response.Header("x-ratelimit-limit-tokens"));
        Assert.Equal("30000", response.Header("x-ratelimit-remaining-tokens"));
        Assert.Equal("0s", response.Header("x-ratelimit-reset-tokens"));
        Assert.StartsWith("req_", response.Header("x-request-id"));
    }

    [Fact]
    public async Task A_forced_500_is_a_server_error()
    {
        var response = await api.Get("/v1/assistants", ("X-Mock-Fault", "500"));

        var error = response.Error(HttpStatusCode.InternalServerError);
        Assert.Equal("server_error", error.Str("type"));
        Assert.Equal("The server had an error while processing your request. Sorry about that!", error.Str("message"));
        Assert.True(error.IsNull("code"));
        Assert.Null(response.Header("retry-after"));
    }

    [Fact]
    public async Task A_forced_503_is_a_server_error()
    {
        var response = await api.Get("/v1/assistants", ("X-Mock-Fault", "503"));

        var error = response.Error(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("server_error", error.Str("type"));
        Assert.Equal(
            "That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at " +
            $"help.openai.com if the error persists. (Please include the request ID {response.Header("x-request-id")} in your message.)",
            error.Str("message"));
    }

    [Fact]
    public async Task An_unknown_fault_name_is_a_400_listing_the_known_ones()
    {
        var response = await api.Get("/v1/assistants", ("X-Mock-Fault", "404"));

        var error = response.Error(HttpStatusCode.BadRequest);
        Assert.Equal("Invalid value for header 'X-Mock-Fault': '404'. Supported values are: '429', '500', '503', and 'drop'.", error.Str("message"));
        Assert.Equal("invalid_value", error.Str("code"));
    }

    [Theory]
    [InlineData("429")]
    [InlineData("500")]
    [InlineData("503")]
    public async Task A_faulted_create_run_creates_no_run(string fault)
    {
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread();

        (await api.CreateRun(thread, new { assistant_id = assistant }, ("X-Mock-Fault", fault))).Error((HttpStatusCode)int.Parse(fault, System.Globalization.CultureInfo.InvariantCulture));

        var runs = (await api.Get($"/v1/threads/{thread}/runs")).Ok().Json.GetProperty("data");
        Assert.Equal(0, runs.GetArrayLength());
        var all = (await api.Get($"/_mock/runs?thread_id={thread}")).Ok().Json;
        Assert.Equal(0, all.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_faulted_cancel_leaves_the_run_as_it_was()
    {
        var (_, thread, run) = await api.StartRun();

        (await api.Post($"/v1/threads/{thread}/runs/{run}/cancel", null, ("X-Mock-Fault", "503"))).Error(HttpStatusCode.ServiceUnavailable);

        Assert.Equal("queued", (await api.GetRun(thread, run)).Status());
    }

    [Fact]
    public async Task A_faulted_create_thread_leaves_no_thread_behind()
    {
        var before = (await api.Get("/healthz")).Ok().Json.GetProperty("threads").GetInt32();

        (await api.Post("/v1/threads", new { }, ("X-Mock-Fault", "500"))).Error(HttpStatusCode.InternalServerError);

        Assert.Equal(before, (await api.Get("/healthz")).Ok().Json.GetProperty("threads").GetInt32());
    }

    [Fact]
    public async Task Faults_apply_to_the_routes_without_the_v1_prefix_too()
    {
        var response = await api.Get("/assistants", ("X-Mock-Fault", "500"));

        response.Error(HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task Faults_apply_whatever_the_paths_case()
    {
        var response = await api.Get("/V1/Assistants", ("X-Mock-Fault", "503"));

        response.Error(HttpStatusCode.ServiceUnavailable);
    }

    [Theory]
    [InlineData("/_mock/clock")]
    [InlineData("/healthz")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task Routes_outside_the_OpenAI_surface_ignore_the_fault_header(string path)
    {
        var response = await api.Get(path, ("X-Mock-Fault", "500"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }
}
