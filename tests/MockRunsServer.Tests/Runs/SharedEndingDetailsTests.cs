using Microsoft.Extensions.DependencyInjection;
using MockRunsServer.Store;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>
/// Runs that end the same way point at one shared incomplete_details, and a failed step at its
/// run's error, instead of an object each: a kept run costs the GC only its own objects.
/// </summary>
public sealed class SharedEndingDetailsTests
{
    private static async Task<(RunRecord Run, ThreadRecord Thread)> Ended(MockServerFactory server, string scenario)
    {
        var api = server.Api();
        var (_, thread, run) = await api.StartRun(headers: ("X-Mock-Scenario", scenario));
        await api.Advance(60);
        var record = server.Services.GetRequiredService<MockStore>().GetThread(thread);
        return (record.Runs.Get(run)!, record);
    }

    [Fact]
    public async Task Incomplete_runs_and_their_messages_share_one_incomplete_details_per_reason()
    {
        using var server = new MockServerFactory();
        var (first, firstThread) = await Ended(server, "incomplete");
        var (second, secondThread) = await Ended(server, "incomplete");

        Assert.Equal(MockRunsServer.Wire.RunStatus.Incomplete, first.Run.Status);
        Assert.Same(first.Run.IncompleteDetails, second.Run.IncompleteDetails);
        var firstReply = firstThread.Messages[^1].Value.IncompleteDetails;
        Assert.Equal("max_tokens", firstReply?.Reason);
        Assert.Same(firstReply, secondThread.Messages[^1].Value.IncompleteDetails);
    }

    [Fact]
    public async Task A_failed_run_s_step_carries_the_run_s_own_error()
    {
        using var server = new MockServerFactory();
        var (failed, _) = await Ended(server, "fail");

        Assert.Equal(MockRunsServer.Wire.RunStatus.Failed, failed.Run.Status);
        var step = server.Services.GetRequiredService<MockStore>().Steps[failed.FirstStep];
        Assert.NotNull(failed.Run.LastError);
        Assert.Same(failed.Run.LastError, step.LastError);
    }
}
