using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Tests.Streaming;

namespace MockRunsServer.Tests.Runs;

/// <summary>Real mode: the scheduler loop sleeps until the next due transition on the injected TimeProvider and applies it.</summary>
public sealed class RealClockSchedulerTests(FakeTimeServer factory) : IClassFixture<FakeTimeServer>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task A_run_moves_when_the_time_provider_reaches_each_due_time()
    {
        // The loop applies transitions on its own task; its stream is what tells the test it has. Nothing
        // here GETs the run while a transition is due, since a GET applies what is overdue itself.
        var (thread, stream) = await api.OpenRun();
        await using var _ = stream;
        await stream.ReadUntil("thread.run.queued");
        factory.Time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal("queued", (await api.GetRun(thread, stream.RunId())).Status());

        factory.Time.Advance(TimeSpan.FromMilliseconds(100));
        await stream.ReadUntil("thread.run.in_progress");

        factory.Time.Advance(TimeSpan.FromSeconds(2));
        await stream.ReadUntil("thread.run.completed");
        Assert.Equal("completed", (await api.GetRun(thread, stream.RunId())).Status());
    }

    [Fact]
    public async Task A_poll_at_the_due_time_sees_the_change_even_before_the_loop_applies_it()
    {
        var (_, thread, run) = await api.StartRun();
        var created = await api.Get($"/v1/threads/{thread}/runs/{run}");
        var wait = long.Parse(created.Header("openai-poll-after-ms")!, System.Globalization.CultureInfo.InvariantCulture);

        factory.Time.Advance(TimeSpan.FromMilliseconds(wait));

        Assert.Equal("in_progress", (await api.GetRun(thread, run)).Status());
    }

    [Fact]
    public async Task The_clock_reports_real_mode_and_refuses_to_be_advanced_by_hand()
    {
        var clock = (await api.Get("/_mock/clock")).Ok().Json;
        Assert.Equal("real", clock.Str("mode"));
        (await api.Post("/_mock/clock/advance", new { seconds = 1 })).Error(System.Net.HttpStatusCode.BadRequest);
    }
}
