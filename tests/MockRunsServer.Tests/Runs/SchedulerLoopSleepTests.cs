using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>The scheduler loop's sleep, woken early by a schedule, lets go of its timer.</summary>
public sealed class SchedulerLoopSleepTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

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

        // The loop lets go of its timers on its own task: waited for as each is disposed (the guard only
        // stops a hang, it measures nothing). Time itself never moves.
        await server.Time.WhenLiveTimersAtMost(3).WaitAsync(Guard);
        Assert.InRange(server.Time.LiveTimers, 0, 3);
    }
}
