using MockRunsServer.Scenarios;
using MockRunsServer.Store;
using MockRunsServer.Wire;

namespace MockRunsServer.Runs;

// RunEngine, continued: the clock's side, applying the scheduler's due transitions in order, each under its thread's lock.
public sealed partial class RunEngine
{
    private readonly Lock advanceGate = new();

    /// <summary>Applies every transition due by <paramref name="targetMs"/>, in due order, moving the manual clock along.</summary>
    public List<FiredTransition> AdvanceTo(long targetMs, bool collect = true)
    {
        var fired = collect ? new List<FiredTransition>() : null;
        lock (advanceGate)
        {
            while (scheduler.TryTakeDue(targetMs, out var transition))
            {
                if (clock.IsManual)
                {
                    clock.MoveTo(transition.DueMs);
                }
                Fire(transition, fired);
            }
            if (clock.IsManual)
            {
                clock.MoveTo(targetMs);
            }
        }
        return fired ?? [];
    }

    /// <summary>
    /// Manual clock: moves it to the time <paramref name="target"/> picks from the time it shows
    /// when this call's turn comes, so that concurrent advances add up instead of several
    /// starting from the same time. <paramref name="target"/> may throw to refuse.
    /// </summary>
    public (List<FiredTransition> Fired, long ReachedMs) AdvanceManual(Func<long, long> target)
    {
        lock (advanceGate)
        {
            var targetMs = target(clock.NowMs);
            return (AdvanceTo(targetMs), targetMs);
        }
    }

    /// <summary>Runs <paramref name="action"/> while no transition fires (a reset).</summary>
    public T Exclusively<T>(Func<T> action)
    {
        lock (advanceGate)
        {
            return action();
        }
    }

    /// <summary>Real clock: applies what is due now. Called by the scheduler loop, and by a poll that came a moment before the loop woke.</summary>
    public void FireDue() => AdvanceTo(clock.NowMs, collect: false);

    /// <summary>Real clock: the run's next transition is due but the loop has not applied it yet. The caller holds the thread's lock.</summary>
    public bool IsOverdue(RunRecord record) => !clock.IsManual && record.NextDueMs is { } due && due <= clock.NowMs;

    private void Fire(ScheduledTransition transition, List<FiredTransition>? fired)
    {
        var record = transition.Run;
        var thread = record.Thread;
        lock (thread.Gate)
        {
            if (record.Deleted || record.Version != transition.Version)
            {
                return;
            }
            var from = record.Run.Status;
            // Under the manual clock a transition applies when the clock shows, never before: one that a
            // create scheduled from a time it read just before a concurrent advance moved past it comes
            // late, and is applied at the clock's time, so that no run moves back in time.
            var atMs = clock.IsManual ? Math.Max(transition.DueMs, clock.NowMs) : transition.DueMs;
            // Come so late that the run's expires_at has passed, a step of its answer would begin or go on
            // after it: the run expires instead, as it would have had it been waiting then.
            var kind = atMs >= record.ExpiresAtMs && transition.Kind is TransitionKind.Start or TransitionKind.Delta or TransitionKind.Finish
                ? TransitionKind.Expire
                : transition.Kind;
            try
            {
                Apply(record, kind, atMs);
            }
            catch (Exception exception)
            {
                LogTransitionFailed(exception, record.Id, transition.Kind.ToString());
                if (record.Observers is { } observers)
                {
                    observers.Fail(ApiError.ServerError().ToResponse());
                    record.Observers = null;
                }
                // A run must never be left stuck without a next transition: it fails as a real one would.
                if (record.Run.Status.IsActive())
                {
                    try
                    {
                        FailRun(record, MockClock.ToSeconds(atMs), new LastError("server_error", ScenarioDefinition.RunFailureMessage));
                    }
                    catch (Exception again)
                    {
                        LogTransitionFailed(again, record.Id, "Fail");
                    }
                }
                return;
            }
            var to = record.Run.Status;
            if (from != to)
            {
                fired?.Add(new FiredTransition(record.Id, thread.Id, from.ToWire(), to.ToWire(), atMs / 1000.0));
                LogMoved(record.Id, from.ToWire(), to.ToWire());
            }
        }
    }

    private void Apply(RunRecord record, TransitionKind kind, long atMs)
    {
        if (!RunStateMachine.Applies(kind, record.Run.Status))
        {
            return;
        }
        switch (kind)
        {
            case TransitionKind.Start:
                Start(record, atMs);
                break;
            case TransitionKind.Delta:
                RevealNextPiece(record, atMs);
                break;
            case TransitionKind.Finish:
                Finish(record, atMs, record.Plan.Outcome, record.Plan.Error);
                break;
            case TransitionKind.CancelDone:
                CancelDone(record, atMs);
                break;
            case TransitionKind.Expire:
                Expire(record, atMs);
                break;
        }
    }
}
