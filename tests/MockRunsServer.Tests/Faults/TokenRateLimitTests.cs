using System.Net;
using System.Text;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Faults;

/// <summary>
/// <c>Mock:RateLimits:TokensPerMinute</c> = 100: a request costs its body's size estimate
/// (a token per four bytes of Content-Length), so a 200-byte body costs 50 tokens.
/// </summary>
public sealed class TokenRateLimitTests(TokenRateLimitTests.Server server) : IClassFixture<TokenRateLimitTests.Server>
{
    public sealed class Server() : MockServerFactory(new Dictionary<string, string?> { ["Mock:RateLimits:TokensPerMinute"] = "100" });

    private ApiClient Api(string key)
    {
        var api = server.Api();
        api.Headers["Authorization"] = $"Bearer {key}";
        return api;
    }

    /// <summary>A create-assistant body of exactly <paramref name="bytes"/> bytes.</summary>
    private static string Body(int bytes)
    {
        var body = $"{{\"model\":\"gpt-4o\",\"description\":\"{new string('a', bytes - 35)}\"}}";
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(body));
        return body;
    }

    [Fact]
    public async Task Each_request_spends_its_body_estimate_from_the_token_budget()
    {
        var api = Api("sk-tokens");

        var first = (await api.Post("/v1/assistants", Body(200))).Ok();
        var second = (await api.Post("/v1/assistants", Body(200))).Ok();

        Assert.Equal("100", first.Header("x-ratelimit-limit-tokens"));
        Assert.Equal(["50", "0"], new[] { first, second }.Select(answer => answer.Header("x-ratelimit-remaining-tokens")));
        Assert.Equal(["30s", "1m0s"], new[] { first, second }.Select(answer => answer.Header("x-ratelimit-reset-tokens")));
        Assert.Null(first.Header("x-ratelimit-limit-requests"));
    }

    [Fact]
    public async Task A_request_over_the_token_budget_gets_OpenAIs_tokens_429()
    {
        var api = Api("sk-tokens-over");
        await api.Post("/v1/assistants", Body(200));
        await api.Post("/v1/assistants", Body(100));

        var response = await api.Post("/v1/assistants", Body(200));

        var error = response.Error(HttpStatusCode.TooManyRequests);
        Assert.Equal("tokens", error.Str("type"));
        Assert.Equal("rate_limit_exceeded", error.Str("code"));
        Assert.Equal(
            "Rate limit reached for organization org-mock on tokens per min (TPM): Limit 100, Used 75, Requested 50. Please try again in 15s. " +
            "Visit https://platform.openai.com/account/rate-limits to learn more.", error.Str("message"));
        Assert.Equal("15", response.Header("retry-after"));
        Assert.Equal("15000", response.Header("retry-after-ms"));
        Assert.Equal("25", response.Header("x-ratelimit-remaining-tokens"));
        Assert.Equal("45s", response.Header("x-ratelimit-reset-tokens"));
    }

    [Fact]
    public async Task Requests_without_a_body_cost_no_tokens()
    {
        var api = Api("sk-tokens-get");
        (await api.Post("/v1/assistants", Body(400))).Ok();

        var list = (await api.Get("/v1/assistants")).Ok();

        Assert.Equal("0", list.Header("x-ratelimit-remaining-tokens"));
    }

    [Fact]
    public async Task A_body_larger_than_the_whole_budget_is_too_large_for_ever()
    {
        var api = Api("sk-tokens-large");

        var response = await api.Post("/v1/assistants", Body(404));

        var error = response.Error(HttpStatusCode.TooManyRequests);
        Assert.Equal("tokens", error.Str("type"));
        Assert.Equal(
            "Request too large for organization org-mock on tokens per min (TPM): Limit 100, Requested 101. " +
            "The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.",
            error.Str("message"));
        Assert.Null(response.Header("retry-after"));
        Assert.Equal("100", response.Header("x-ratelimit-remaining-tokens"));
    }

    [Fact]
    public async Task A_run_too_large_for_the_budget_names_the_model_it_runs()
    {
        var setup = Api("sk-tokens-run-setup");
        var assistant = await setup.CreateAssistant(new { model = "gpt-4o" });
        var thread = await setup.CreateThread();
        var body = $"{{\"assistant_id\":\"{assistant}\",\"instructions\":\"{new string('a', 400)}\"}}";

        var response = await Api("sk-tokens-run").Post($"/v1/threads/{thread}/runs", body);

        Assert.Equal(
            $"Request too large for gpt-4o in organization org-mock on tokens per min (TPM): Limit 100, Requested {(Encoding.UTF8.GetByteCount(body) + 3) / 4}. " +
            "The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.",
            response.Error(HttpStatusCode.TooManyRequests).Str("message"));
    }

    [Fact]
    public async Task A_run_over_the_token_budget_names_the_model_it_runs()
    {
        var setup = Api("sk-tokens-over-run-setup");
        var assistant = await setup.CreateAssistant(new { model = "gpt-4o" });
        var thread = await setup.CreateThread();
        var api = Api("sk-tokens-over-run");
        (await api.Post("/v1/assistants", Body(400))).Ok();

        var response = await api.Post($"/v1/threads/{thread}/runs", new { assistant_id = assistant, model = "o3-mini" });

        Assert.StartsWith(
            "Rate limit reached for o3-mini in organization org-mock on tokens per min (TPM): Limit 100, Used 100, Requested ",
            response.Error(HttpStatusCode.TooManyRequests).Str("message"));
    }

    [Fact]
    public async Task A_body_sent_without_a_length_spends_what_arrives()
    {
        using var kestrel = KestrelMockServer.With(("Mock:RateLimits:TokensPerMinute", "100"));
        var api = kestrel.Api();

        var first = (await UnlengthedContent.PostAsync(api, "/v1/assistants", Body(200))).Ok();
        var second = (await UnlengthedContent.PostAsync(api, "/v1/assistants", Body(200))).Ok();
        var third = await UnlengthedContent.PostAsync(api, "/v1/assistants", Body(200));

        Assert.Equal(["50", "0"], new[] { first, second }.Select(answer => answer.Header("x-ratelimit-remaining-tokens")));
        third.Error(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_body_sent_without_a_length_is_counted_by_the_limiter_itself_when_the_journal_is_off()
    {
        // With the journal on, it reads the body first; off, the limiter reads it.
        using var kestrel = KestrelMockServer.With(("Mock:RateLimits:TokensPerMinute", "100"), ("Mock:Journal:Size", "0"));

        var answer = (await UnlengthedContent.PostAsync(kestrel.Api(), "/v1/assistants", Body(200))).Ok();

        Assert.Equal("50", answer.Header("x-ratelimit-remaining-tokens"));
        Assert.Equal(new string('a', 165), answer.Json.GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_body_sent_without_a_length_is_created_from_as_usual()
    {
        using var kestrel = KestrelMockServer.With(("Mock:RateLimits:TokensPerMinute", "100"));

        var created = (await UnlengthedContent.PostAsync(kestrel.Api(), "/v1/assistants", Body(200))).Ok().Json;

        Assert.Equal(new string('a', 165), created.GetProperty("description").GetString());
    }
}
