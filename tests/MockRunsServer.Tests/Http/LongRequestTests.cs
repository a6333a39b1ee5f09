using System.Net;
using MockRunsServer.Http;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Http;

/// <summary>
/// URLs and headers past Kestrel's default cut-offs (8 KB, 32 KB, 100 headers), over a real socket: they reach
/// the server's own handling and get OpenAI's error envelope, not Kestrel's empty 414 or 431.
/// </summary>
public sealed class LongRequestTests(KestrelMockServer server) : IClassFixture<KestrelMockServer>
{
    private readonly ApiClient api = server.Api();

    [Fact]
    public async Task An_id_longer_than_Kestrels_default_request_line_is_looked_up_like_any_other()
    {
        var id = "thread_" + new string('a', 10_000);

        var error = (await api.Get($"/v1/threads/{id}")).Error(HttpStatusCode.NotFound);

        Assert.Equal($"No thread found with id '{id}'.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_url_over_32_KB_gets_414_in_the_error_envelope()
    {
        var path = "/v1/threads/thread_" + new string('a', OpenAIMiddleware.MaxUrlLength);

        var answer = await api.Get(path);

        var error = answer.Error(HttpStatusCode.RequestUriTooLong);
        Assert.Equal($"The request URL is too long ({path.Length} characters; the limit is {OpenAIMiddleware.MaxUrlLength}).", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.NotNull(answer.Header("x-request-id"));
    }

    [Fact]
    public async Task A_url_of_exactly_the_limit_is_answered()
    {
        var prefix = "/v1/threads/thread_";
        var path = prefix + new string('a', OpenAIMiddleware.MaxUrlLength - prefix.Length);

        (await api.Get(path)).Error(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Headers_over_Kestrels_default_32_KB_are_read()
    {
        var answer = await api.Get("/v1/assistants", ("X-Padding", new string('p', 40_000)));

        answer.Ok();
    }

    [Fact]
    public async Task A_request_with_more_headers_than_Kestrels_default_100_is_answered()
    {
        var headers = Enumerable.Range(0, 150).Select(i => ($"X-Extra-{i}", "v")).ToArray();

        var answer = await api.Get("/v1/assistants", headers);

        answer.Ok();
    }

    [Fact]
    public async Task A_request_line_limit_set_under_Kestrel_Limits_wins()
    {
        using var strict = KestrelMockServer.With(("Kestrel:Limits:MaxRequestLineSize", "8192"));

        var answer = await strict.Api().Get("/v1/threads/thread_" + new string('a', 10_000));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, answer.Status);
        Assert.Equal("", answer.Text);
    }
}
