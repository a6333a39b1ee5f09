using MockRunsServer.Generation;
using MockRunsServer.Scenarios;
using MockRunsServer.Store;
using MockRunsServer.Wire;

namespace MockRunsServer.Runs;

// RunEngine, continued: transitions the control API forces, outside the scheduler's timings.
public sealed partial class RunEngine
{
    /// <summary>Forces a legal transition now; the caller holds no lock.</summary>
    public FiredTransition Force(RunRecord record, RunStatus target, LastError? lastError)
    {
        lock (record.Thread.Gate)
        {
            if (record.Deleted)
            {
                throw ApiError.NotFound("run", record.Id);
            }
            var run = record.Run;
            var from = run.Status;
            if (!RunStateMachine.LegalTransitions.TryGetValue(from, out var legal) || !legal.Contains(target))
            {
                var allowed = legal is null ? "none (the run has ended)" : string.Join(", ", legal.Select(status => $"'{status.ToWire()}'"));
                throw ApiError.BadRequest($"Cannot move run {run.Id} from '{from.ToWire()}' to '{target.ToWire()}'. Legal next statuses: {allowed}.", "status", "invalid_value");
            }
            if (target == RunStatus.RequiresAction && !run.Tools.Exists(tool => tool.Function is not null))
            {
                throw ApiError.BadRequest($"Run {run.Id} has no function tools, so it cannot require action.", "status", "invalid_value");
            }
            var nowMs = clock.NowMs;
            var now = MockClock.ToSeconds(nowMs);
            switch (target)
            {
                case RunStatus.InProgress:
                    Start(record, nowMs);
                    break;
                case RunStatus.Cancelling:
                    StartCancelling(record);
                    break;
                case RunStatus.Cancelled:
                    CancelDone(record, nowMs);
                    break;
                case RunStatus.Expired:
                    Expire(record, nowMs);
                    break;
                case RunStatus.RequiresAction:
                    if (record.CurrentStep < 0 || !store.Steps[record.CurrentStep].IsToolCalls)
                    {
                        AbandonCurrentWork(record, now);
                        record.CurrentStep = BeginStep(record, now);
                    }
                    RequireAction(record);
                    break;
                case RunStatus.Failed:
                    Finish(record, nowMs, RunOutcome.Fail, lastError ?? new LastError("server_error", ScenarioDefinition.RunFailureMessage));
                    break;
                default:
                    if (record.CurrentStep < 0 || store.Steps[record.CurrentStep].IsToolCalls)
                    {
                        AbandonCurrentWork(record, now);
                        BeginMessage(record, now);
                    }
                    if (target == RunStatus.Completed)
                    {
                        record.IncompleteReason = null;
                    }
                    else if (record.IncompleteReason is null && record.CurrentMessage >= 0)
                    {
                        // Cut as a natural incomplete ending is, so the message reads as cut off, yet never
                        // shorter than what has already been shown.
                        ref var writing = ref store.Messages[record.CurrentMessage];
                        var full = writing.Text;
                        var cut = TokenEstimator.FittingLength(full.Span, CompletionLeft(record) ?? Math.Max(1, TokenEstimator.ForChars(full.Length) / 2));
                        writing.Write(full.Prefix(Math.Max(cut, record.RevealedChars)));
                        if (record.PendingCitation is { } citation && CitationEnd(writing.Text.Span, citation) is not > 0)
                        {
                            record.PendingCitation = null;
                        }
                    }
                    Finish(record, nowMs, target == RunStatus.Incomplete ? RunOutcome.Incomplete : RunOutcome.Complete, null);
                    break;
            }
            LogMoved(run.Id, from.ToWire(), run.Status.ToWire());
            return new FiredTransition(run.Id, run.ThreadId, from.ToWire(), run.Status.ToWire(), nowMs / 1000.0);
        }
    }

    /// <summary>
    /// A forced transition changes what the run was doing: the step (and message) it had begun end
    /// as cancelled, with their events, so a stream never sees an object vanish or a delta without its step.
    /// </summary>
    private void AbandonCurrentWork(RunRecord record, long now)
    {
        StopMessage(record, now, "run_cancelled");
        EndStep(record, "cancelled", now);
    }
}
