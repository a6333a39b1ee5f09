using MockRunsServer.Runs;
using MockRunsServer.Scenarios;
using MockRunsServer.Store;
using MockRunsServer.Wire;

namespace MockRunsServer.Tests.Runs;

/// <summary>
/// A transition whose run moved on stays queued until due; the scheduler sweeps such entries out
/// once the queue has doubled, so they cannot keep deleted or finished runs alive for long.
/// </summary>
public sealed class StaleTransitionSweepTests
{
    private static readonly RunPlan Plan = new("complete", RunOutcome.Complete, 0, null, "max_completion_tokens", null,
        TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500));

    private static RunRecord NewRun(int i)
    {
        var thread = new ThreadRecord(new ThreadObject { Id = $"thread_{i}", CreatedAt = 0 });
        return new RunRecord(new RunObject { Id = $"run_{i}", CreatedAt = 0, AssistantId = "asst_1", ThreadId = thread.Id, Model = "gpt-4o" }, thread, Plan);
    }

    [Fact]
    public void Stale_entries_are_dropped_when_the_queue_doubles_and_live_ones_stay_in_due_order()
    {
        var scheduler = new RunScheduler(compactFrom: 8);
        var runs = Enumerable.Range(0, 7).Select(NewRun).ToList();
        for (var i = 0; i < runs.Count; i++)
        {
            // Two runs share a due time, so a bucket keeps its order through the sweep.
            scheduler.Schedule(runs[i], TransitionKind.Expire, 1_000 + (i / 2));
        }
        // Five of the seven move on (as a submit or a cancel does) or are deleted.
        foreach (var run in runs.Take(4))
        {
            run.Version++;
        }
        runs[4].Deleted = true;
        Assert.Equal(7, scheduler.Count);

        scheduler.Schedule(runs[6], TransitionKind.Start, 2_000);

        // The eighth entry crossed the threshold: only runs 5 and 6 (and run 6's new entry) are left.
        Assert.Equal(3, scheduler.Count);
        var taken = new List<(string, TransitionKind)>();
        while (scheduler.TryTakeDue(long.MaxValue, out var transition))
        {
            taken.Add((transition.Run.Id, transition.Kind));
        }
        Assert.Equal([("run_5", TransitionKind.Expire), ("run_6", TransitionKind.Expire), ("run_6", TransitionKind.Start)], taken);
    }

    [Fact]
    public void A_queue_of_live_entries_is_kept_whole_and_the_next_sweep_waits_for_twice_as_many()
    {
        var scheduler = new RunScheduler(compactFrom: 4);
        var runs = Enumerable.Range(0, 20).Select(NewRun).ToList();

        foreach (var run in runs)
        {
            scheduler.Schedule(run, TransitionKind.Start, 500);
        }

        Assert.Equal(20, scheduler.Count);
        var order = new List<string>();
        while (scheduler.TryTakeDue(500, out var transition))
        {
            order.Add(transition.Run.Id);
        }
        Assert.Equal(runs.Select(run => run.Id), order);
    }

    [Fact]
    public void By_default_a_run_rescheduled_a_thousand_times_leaves_few_stale_entries_behind()
    {
        var scheduler = new RunScheduler();
        var run = NewRun(0);

        for (var i = 0; i < 1000; i++)
        {
            // Each change makes the last entry stale, as a submit or a cancel does; each due time is its own.
            run.Version++;
            scheduler.Schedule(run, TransitionKind.Expire, 10_000 + i);
        }

        Assert.InRange(scheduler.Count, 1, RunScheduler.DefaultCompactFrom);
        Assert.True(scheduler.TryTakeDue(long.MaxValue, out var last));
        while (scheduler.TryTakeDue(long.MaxValue, out var later))
        {
            last = later;
        }
        Assert.Equal((run.Version, 10_999L), (last.Version, last.DueMs));
    }

    [Fact]
    public void After_a_burst_has_drained_stale_entries_are_swept_as_soon_as_on_a_fresh_queue()
    {
        var scheduler = new RunScheduler();
        foreach (var burst in Enumerable.Range(1, 5000).Select(NewRun))
        {
            scheduler.Schedule(burst, TransitionKind.Start, 500);
        }
        while (scheduler.TryTakeDue(500, out _))
        {
        }
        var run = NewRun(0);

        for (var i = 0; i < 1000; i++)
        {
            run.Version++;
            scheduler.Schedule(run, TransitionKind.Expire, 10_000 + i);
        }

        Assert.InRange(scheduler.Count, 1, RunScheduler.DefaultCompactFrom);
    }

    [Fact]
    public void A_bucket_keeps_its_order_across_growing_segments_while_taken_from_and_added_to()
    {
        var scheduler = new RunScheduler();
        var runs = Enumerable.Range(0, 1500).Select(NewRun).ToList();
        var order = new List<string>();

        foreach (var run in runs.Take(1000))
        {
            scheduler.Schedule(run, TransitionKind.Start, 500);
        }
        for (var i = 0; i < 300 && scheduler.TryTakeDue(500, out var transition); i++)
        {
            order.Add(transition.Run.Id);
        }
        foreach (var run in runs.Skip(1000))
        {
            scheduler.Schedule(run, TransitionKind.Start, 500);
        }
        while (scheduler.TryTakeDue(500, out var transition))
        {
            order.Add(transition.Run.Id);
        }

        Assert.Equal(runs.Select(run => run.Id), order);
        Assert.Equal(0, scheduler.Count);
    }
}
