namespace MockRunsServer.Runs;

/// <summary>
/// Real-clock mode: the one loop that sleeps until the next due transition (or until something
/// earlier is scheduled) and applies what is due. Manual mode needs no loop: advance does it.
/// </summary>
public sealed partial class SchedulerLoop(RunEngine engine, ILogger<SchedulerLoop> logger) : BackgroundService
{
    private static readonly TimeSpan LongestSleep = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (engine.Clock.IsManual)
        {
            return;
        }
        var scheduler = engine.Scheduler;
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = scheduler.Changed;
            try
            {
                engine.FireDue();
            }
            catch (Exception exception)
            {
                LogLoopFailed(exception);
            }
            var next = scheduler.NextDueMs;
            var wait = next is { } due ? TimeSpan.FromMilliseconds(Math.Max(0, due - engine.Clock.NowMs)) : LongestSleep;
            if (wait == TimeSpan.Zero)
            {
                continue;
            }
            if (wait > LongestSleep)
            {
                wait = LongestSleep;
            }
            // The delay is cancelled when a schedule wakes the loop first: left running, each would keep
            // its timer for up to LongestSleep.
            using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            await Task.WhenAny(changed, Task.Delay(wait, engine.Clock, sleep.Token));
            sleep.Cancel();
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The scheduler loop failed to apply due transitions")]
    private partial void LogLoopFailed(Exception exception);
}
