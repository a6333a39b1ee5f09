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
        // A server of its own, so the counts are exact: on the class's server other tests leave threads behind.
        using var server = MockServerFactory.With();
        var api = server.Api();
        await api.CreateThread();
        await api.StartRun();

        var holding = (await api.Get("/healthz")).Ok().Json;
        await api.Advance(60);
        var settled = (await api.Get("/healthz")).Ok().Json;

        Assert.Equal("manual", holding.Str("clock_mode"));
        // Two threads; the queued run's start is the one transition due.
        Assert.Equal((2, 1), (holding.GetProperty("threads").GetInt32(), holding.GetProperty("scheduled_transitions").GetInt32()));
        Assert.Equal((2, 0), (settled.GetProperty("threads").GetInt32(), settled.GetProperty("scheduled_transitions").GetInt32()));
    }

    [Fact]
    public async Task Health_is_not_an_openai_route_and_refuses_other_methods_in_the_envelope()
    {
        var response = await factory.Api().Post("/healthz", "{}");

        var error = response.Error(HttpStatusCode.NotFound);
        Assert.Equal("Invalid URL (POST /healthz)", error.Str("message"));
    }
}
