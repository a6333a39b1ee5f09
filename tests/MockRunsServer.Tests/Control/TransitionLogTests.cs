using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Control;

/// <summary>Every move of a run is logged once ("Run {RunId} moved {From} -> {To}"), whoever made it.</summary>
public sealed class TransitionLogTests(TransitionLogTests.Server server) : IClassFixture<TransitionLogTests.Server>
{
    public sealed class Server() : MockServerFactory(new Dictionary<string, string?> { ["Logging:LogLevel:MockRunsServer.Runs.RunEngine"] = "Debug" })
    {
        public RecordingLoggerProvider Log { get; } = new();

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Log));
        }
    }

    private readonly ApiClient api = server.Api();

    private List<string> Moves(string run) =>
        server.Log.Lines.Where(line => line.Message.StartsWith($"Run {run} moved ", StringComparison.Ordinal)).Select(line => line.Message).ToList();

    [Fact]
    public async Task A_forced_cancel_is_logged_once()
    {
        var (_, _, run) = await api.StartRun();

        (await api.Post($"/_mock/runs/{run}/transition", new { status = "cancelling" })).Ok();

        Assert.Equal([$"Run {run} moved queued -> cancelling"], Moves(run));
    }

    [Fact]
    public async Task A_clients_cancel_is_logged_once()
    {
        var (_, thread, run) = await api.StartRun();

        (await api.Post($"/v1/threads/{thread}/runs/{run}/cancel")).Ok();

        Assert.Equal([$"Run {run} moved queued -> cancelling"], Moves(run));
    }
}
