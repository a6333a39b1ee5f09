using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>A real-clock server whose TimeProvider is a fake, so the one scheduler loop can be driven without sleeping.</summary>
public sealed class FakeTimeServer() : MockServerFactory(new Dictionary<string, string?> { ["Mock:Clock:Mode"] = "real" })
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeSeconds(Start));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}

/// <summary>Real mode: the scheduler loop sleeps until the next due transition on the injected TimeProvider and applies it.</summary>
public sealed class RealClockSchedulerTests(FakeTimeServer factory) : IClassFixture<FakeTimeServer>
{
    private readonly ApiClient api = factory.Api();

    /// <summary>The loop applies transitions on its own task; wait (bounded) until the run shows the status.</summary>
    private async Task<string> StatusWhen(string thread, string run, string expected)
    {
        var status = "";
        for (var attempt = 0; attempt < 400 && status != expected; attempt++)
        {
            status = (await api.GetRun(thread, run)).Status();
            if (status != expected)
            {
                await Task.Delay(25);
            }
        }
        return status;
    }

    [Fact]
    public async Task A_run_moves_when_the_time_provider_reaches_each_due_time()
    {
        var (_, thread, run) = await api.StartRun();
        factory.Time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal("queued", (await api.GetRun(thread, run)).Status());

        factory.Time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal("in_progress", await StatusWhen(thread, run, "in_progress"));

        factory.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("completed", await StatusWhen(thread, run, "completed"));
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

/// <summary>A fake time provider that counts the timers created and not yet disposed.</summary>
public sealed class TimerCountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int live;

    public int LiveTimers => Volatile.Read(ref live);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref live);
        return new Counted(base.CreateTimer(callback, state, dueTime, period), this);
    }

    private sealed class Counted(ITimer inner, TimerCountingTimeProvider owner) : ITimer
    {
        private int disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner.live);
            }
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>The scheduler loop's sleep, woken early by a schedule, lets go of its timer.</summary>
public sealed class SchedulerLoopSleepTests
{
    private sealed class Server() : MockServerFactory(new Dictionary<string, string?> { ["Mock:Clock:Mode"] = "real" })
    {
        public TimerCountingTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeSeconds(Start));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
        }
    }

    [Fact]
    public async Task Waking_the_loop_fifty_times_leaves_no_sleeping_timers_behind()
    {
        using var server = new Server();
        var api = server.Api();

        for (var i = 0; i < 50; i++)
        {
            // A run schedules its start (the loop wakes to sleep until it), the reset empties the queue.
            await api.StartRun();
            (await api.Post("/_mock/reset")).Ok();
        }

        // The loop runs on its own task; give it (bounded) time to settle. Time itself never moves.
        for (var attempt = 0; attempt < 200 && server.Time.LiveTimers > 3; attempt++)
        {
            await Task.Delay(25);
        }
        Assert.InRange(server.Time.LiveTimers, 0, 3);
    }
}
