using System.Net;
using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Tests.Runs;

namespace MockRunsServer.Tests.Control;

/// <summary>POST /_mock/reset forgets everything and puts the clock and the seed back (contract §2 "Determinism", §3).</summary>
public sealed class ResetTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    /// <summary>A small session: assistant, thread, a run to completion and a tool run to requires_action; every answer's body.</summary>
    private async Task<List<string>> Session()
    {
        var bodies = new List<string>();
        async Task<ApiResponse> Keep(Task<ApiResponse> call)
        {
            var response = (await call).Ok();
            bodies.Add(response.Text);
            return response;
        }

        var assistant = (await Keep(api.Post("/v1/assistants", RunsApi.ToolAssistant))).Id;
        var thread = (await Keep(api.Post("/v1/threads", new { messages = new[] { new { role = "user", content = "Hello" } } }))).Id;
        var run = (await Keep(api.CreateRun(thread, new { assistant_id = assistant }))).Id;
        await Keep(api.Post("/_mock/clock/advance", new { seconds = 3 }));
        await Keep(api.Get($"/v1/threads/{thread}/runs/{run}"));
        await Keep(api.Get($"/v1/threads/{thread}/messages"));
        var toolThread = (await Keep(api.Post("/v1/threads", new { }))).Id;
        var toolRun = (await Keep(api.CreateRun(toolThread, new { assistant_id = assistant, metadata = new { mock_scenario = "tool_call" } }))).Id;
        await Keep(api.Post("/_mock/clock/advance", new { seconds = 3 }));
        await Keep(api.Get($"/v1/threads/{toolThread}/runs/{toolRun}"));
        await Keep(api.Get($"/v1/threads/{toolThread}/runs/{toolRun}/steps"));
        return bodies;
    }

    [Fact]
    public async Task With_a_seed_the_same_requests_after_a_reset_get_the_same_request_ids_whatever_probes_come_between()
    {
        async Task<List<string?>> RequestIds(bool probes)
        {
            (await api.Post("/_mock/reset")).Ok();
            var ids = new List<string?>();
            for (var i = 0; i < 3; i++)
            {
                ids.Add((await api.Get("/v1/assistants")).Ok().Header("x-request-id"));
                if (probes)
                {
                    // A container's health check and a look at the control API draw none of the session's ids.
                    (await api.Get("/healthz")).Ok();
                    (await api.Get("/_mock/clock")).Ok();
                }
            }
            return ids;
        }

        var first = await RequestIds(probes: false);
        var second = await RequestIds(probes: true);

        Assert.Equal(first, second);
        Assert.Equal(3, first.Distinct().Count());
    }

    [Fact]
    public async Task The_same_requests_after_a_reset_give_byte_identical_answers()
    {
        (await api.Post("/_mock/reset")).Ok();
        var first = await Session();
        (await api.Post("/_mock/reset")).Ok();
        var second = await Session();

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_reset_puts_the_manual_clock_back_to_its_start()
    {
        await api.Advance(1234.5);
        var result = (await api.Post("/_mock/reset")).Ok().Json;

        Assert.Equal(MockServerFactory.Start, result.Long("now"));
        Assert.Equal(MockServerFactory.Start * 1000, await api.NowMs());
    }

    [Fact]
    public async Task A_reset_forgets_every_object()
    {
        var (assistant, thread, run) = await api.StartRun();
        (await api.Post("/_mock/reset")).Ok();

        Assert.Equal($"No assistant found with id '{assistant}'.", (await api.Get($"/v1/assistants/{assistant}")).Error(HttpStatusCode.NotFound).Message());
        (await api.Get($"/v1/threads/{thread}")).Error(HttpStatusCode.NotFound);
        (await api.Get($"/v1/threads/{thread}/runs/{run}")).Error(HttpStatusCode.NotFound);
        Assert.Empty(await api.MockRuns());
        Assert.Empty((await api.Get("/v1/assistants")).Ok().Json.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Transitions_scheduled_before_a_reset_never_fire()
    {
        await api.StartRun();
        (await api.Post("/_mock/reset")).Ok();

        var result = await api.Advance(700);

        Assert.Empty(result.GetProperty("fired").EnumerateArray());
        Assert.Equal(0, (await api.Get("/healthz")).Ok().Json.GetProperty("scheduled_transitions").GetInt32());
    }
}
