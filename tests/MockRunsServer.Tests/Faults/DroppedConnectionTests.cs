using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Faults;

/// <summary>The drop fault over a real socket: the connection ends without an answer, and nothing changed.</summary>
public sealed class DroppedConnectionTests(KestrelMockServer server) : IClassFixture<KestrelMockServer>
{
    private readonly ApiClient api = server.Api();

    [Fact]
    public async Task A_dropped_request_reaches_the_client_as_a_connection_error()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => api.Get("/v1/assistants", ("X-Mock-Fault", "drop")));
    }

    [Fact]
    public async Task A_dropped_create_run_creates_no_run()
    {
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread();

        await Assert.ThrowsAsync<HttpRequestException>(() => api.CreateRun(thread, new { assistant_id = assistant }, ("X-Mock-Fault", "drop")));

        var runs = (await api.Get($"/v1/threads/{thread}/runs")).Ok().Json.GetProperty("data");
        Assert.Equal(0, runs.GetArrayLength());
    }

    [Fact]
    public async Task The_server_keeps_answering_after_a_drop()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => api.Get("/v1/assistants", ("X-Mock-Fault", "drop")));

        (await api.Get("/v1/assistants")).Ok();
    }

    [Fact]
    public async Task A_drop_probability_drops_about_that_share_of_requests()
    {
        using var dropping = KestrelMockServer.With(("Mock:Faults:Drop", "0.25"));
        var api = dropping.Api();
        var dropped = 0;
        for (var i = 0; i < 200; i++)
        {
            try
            {
                (await api.Get("/v1/assistants?limit=1")).Ok();
            }
            catch (HttpRequestException)
            {
                dropped++;
            }
        }

        // Binomial with n = 200, p = 0.25: five standard deviations is ±31.
        Assert.InRange(dropped, 50 - 31, 50 + 31);
    }
}
