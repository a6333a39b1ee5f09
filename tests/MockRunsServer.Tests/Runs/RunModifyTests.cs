using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>Modify run: metadata only, in any status, replacing the stored map (spec/runs.md §2.4).</summary>
public sealed class RunModifyTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task Metadata_given_replaces_the_runs_metadata()
    {
        var (_, thread, run) = await api.StartRun(null, new { metadata = new { a = "1", b = "2" } });
        var modified = (await api.Post($"/v1/threads/{thread}/runs/{run}", new { metadata = new { c = "3" } })).Ok().Json;
        Assert.Equal("""{"c":"3"}""", modified.GetProperty("metadata").GetRawText());
        Assert.Equal("""{"c":"3"}""", (await api.GetRun(thread, run)).GetProperty("metadata").GetRawText());
    }

    [Fact]
    public async Task A_run_waiting_for_outputs_can_be_modified_without_moving()
    {
        var (thread, run, _) = await api.RunRequiringAction();
        var modified = (await api.Post($"/v1/threads/{thread}/runs/{run}", new { metadata = new { step = "one" } })).Ok().Json;
        Assert.Equal("one", modified.GetProperty("metadata").Str("step"));
        Assert.Equal("requires_action", modified.Status());
    }

    [Fact]
    public async Task An_ended_run_can_still_be_modified()
    {
        var (_, thread, run) = await api.StartRun();
        await api.Advance(3);
        var modified = (await api.Post($"/v1/threads/{thread}/runs/{run}", new { metadata = new { step = "two" } })).Ok().Json;
        Assert.Equal("two", modified.GetProperty("metadata").Str("step"));
        Assert.Equal("completed", modified.Status());
    }

    [Fact]
    public async Task Only_metadata_can_be_modified()
    {
        var (_, thread, run) = await api.StartRun();
        var error = (await api.Post($"/v1/threads/{thread}/runs/{run}", new { model = "gpt-4.1" })).Error(HttpStatusCode.BadRequest);
        Assert.Equal("model", error.Str("param"));
        Assert.Equal("unknown_parameter", error.Str("code"));
    }

    [Fact]
    public async Task Modifying_an_unknown_run_is_a_404()
    {
        var thread = await api.CreateThread();
        var error = (await api.Post($"/v1/threads/{thread}/runs/run_doesnotexist", new { metadata = new { a = "b" } })).Error(HttpStatusCode.NotFound);
        Assert.Equal("No run found with id 'run_doesnotexist'.", error.Message());
    }
}
