using System.Net;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Http;

/// <summary>GET /healthz, for Docker's HEALTHCHECK: 200 JSON, no beta header, no key.</summary>
public sealed class HealthEndpointTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private async Task<(HttpResponseMessage Response, JsonElement Body)> Health()
    {
        // A bare client: no OpenAI-Beta, no Authorization, as a container health probe sends.
        var response = await factory.CreateClient().GetAsync("/healthz");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response, body);
    }

    [Fact]
    public async Task Health_answers_200_json_without_the_beta_header()
    {
        var (response, body) = await Health();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok", body.Str("status"));
    }

    [Fact]
    public async Task Health_reports_the_clock_mode_and_what_the_server_holds()
    {
        await factory.Api().CreateThread();

        var (_, body) = await Health();

        Assert.Equal("manual", body.Str("clock_mode"));
        Assert.True(body.GetProperty("threads").GetInt32() >= 1);
        Assert.True(body.GetProperty("scheduled_transitions").GetInt32() >= 0);
    }

    [Fact]
    public async Task Health_is_not_an_openai_route_and_refuses_other_methods_in_the_envelope()
    {
        var response = await factory.Api().Post("/healthz", "{}");

        var error = response.Error(HttpStatusCode.NotFound);
        Assert.Equal("Invalid URL (POST /healthz)", error.Str("message"));
    }
}
