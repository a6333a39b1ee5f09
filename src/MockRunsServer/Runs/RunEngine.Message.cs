using MockRunsServer.Generation;
using MockRunsServer.Store;
using MockRunsServer.Wire;

namespace MockRunsServer.Runs;

// RunEngine, continued: the assistant's message, begun with its step, shown piece by piece (a citation's marker in a delta of its own), then completed or stopped.
public sealed partial class RunEngine
{
    private void BeginMessage(RunRecord record, long now, bool overPromptBudget = false)
    {
        var run = record.Run;
        var id = random.NewId("msg");
        var message = store.Messages.Add(MessageSlot.Reply(id, now, run));
        record.CurrentStep = BeginStep(record, now, id);
        record.Thread.Messages.Add(message);
        record.CurrentMessage = message.Slot;
        record.RevealedChars = 0;
        var text = content.MessageText(record.Plan.MessageText, run.ResponseFormat);
        var citation = overPromptBudget ? null : Cite(record, ref text);
        record.IncompleteReason = IncompleteReasonFor(record, text, overPromptBudget);
        var written = record.IncompleteReason switch
        {
            null => text,
            "max_prompt_tokens" => string.Empty,
            // The model stops at the limit, so the stream never shows more than the message keeps.
            _ => TokenEstimator.Truncate(text, CompletionLeft(record) ?? Math.Max(1, TokenEstimator.Count(text) / 2)),
        };
        message.Value.Write(store.Texts.Add(written));
        // A reply cut before the end of its citation's marker does not cite.
        record.PendingCitation = citation is not null && CitationEnd(written, citation) is > 0 ? citation : null;
        PublishMessage(record, "thread.message.created");
        PublishMessage(record, "thread.message.in_progress");
    }

    /// <summary>The text the run's message will have when done; empty when it writes none.</summary>
    private ArenaText Writing(RunRecord record) => record.CurrentMessage >= 0 ? store.Messages[record.CurrentMessage].Text : default;

    /// <summary>Announces the run's message as it is now; its wire object is only made when someone streams the run.</summary>
    private void PublishMessage(RunRecord record, string eventName)
    {
        if (record.Observers is { IsEmpty: false } observers)
        {
            observers.Publish(eventName, store.Messages[record.CurrentMessage].ToWire(record.Thread.Id));
        }
    }

    /// <summary>Shows the next piece of the message, so a GET and a stream agree while the text grows.</summary>
    private void RevealNextPiece(RunRecord record, long atMs)
    {
        var text = Writing(record);
        var pieces = Math.Max(1, record.PiecesLeft);
        var remaining = text.Length - record.RevealedChars;
        var size = pieces <= 1 ? remaining : PieceEnd(text.Span, record.RevealedChars, remaining / pieces) - record.RevealedChars;
        RevealText(record, record.RevealedChars + size);
        record.PiecesLeft--;
        var next = atMs + record.PieceIntervalMs;
        ScheduleWithin(record, record.PiecesLeft > 1 ? TransitionKind.Delta : TransitionKind.Finish, next);
    }

    private static int PieceEnd(ReadOnlySpan<char> text, int start, int approximate)
    {
        var end = Math.Min(text.Length, start + Math.Max(1, approximate));
        while (end < text.Length && text[end] != ' ')
        {
            end++;
        }
        return end;
    }

    private void RevealText(RunRecord record, int upTo)
    {
        if (record.CurrentMessage < 0 || upTo <= record.RevealedChars)
        {
            return;
        }
        ref var message = ref store.Messages[record.CurrentMessage];
        var text = message.Text;
        var first = !message.ShowsContent;
        message.Reveal(upTo);
        var from = record.RevealedChars;
        record.RevealedChars = upTo;
        var cited = record.PendingCitation is { } citation && upTo >= CitationEnd(text.Span, citation) ? citation : null;
        if (cited is not null)
        {
            message.Annotate(cited);
            record.PendingCitation = null;
        }
        if (record.Observers is not { IsEmpty: false } observers)
        {
            return;
        }
        var id = message.Id.ToString();
        var markerStart = cited is null ? -1 : CitationEnd(text.Span, cited) - cited.Text.Length;
        if (markerStart < from)
        {
            observers.Publish("thread.message.delta", MessageDelta.TextPiece(id, text.Slice(from, upTo), first, cited));
            return;
        }
        // The live API streamed a citation's marker as a delta of its own, the one that carries the annotation.
        var markerEnd = markerStart + cited!.Text.Length;
        if (markerStart > from)
        {
            observers.Publish("thread.message.delta", MessageDelta.TextPiece(id, text.Slice(from, markerStart), first));
            first = false;
        }
        observers.Publish("thread.message.delta", MessageDelta.TextPiece(id, cited.Text, first, cited));
        if (upTo > markerEnd)
        {
            observers.Publish("thread.message.delta", MessageDelta.TextPiece(id, text.Slice(markerEnd, upTo), first: false));
        }
    }

    private void CompleteMessage(RunRecord record, long now)
    {
        if (record.CurrentMessage < 0)
        {
            return;
        }
        ref var message = ref store.Messages[record.CurrentMessage];
        message.Status = "completed";
        message.CompletedAt = now;
        PublishMessage(record, "thread.message.completed");
        store.Messages.Release(record);
    }

    private void StopMessage(RunRecord record, long now, string reason)
    {
        if (record.CurrentMessage < 0)
        {
            return;
        }
        ref var message = ref store.Messages[record.CurrentMessage];
        message.Status = "incomplete";
        message.IncompleteAt = now;
        message.IncompleteDetails = IncompleteDetails.Of(reason);
        PublishMessage(record, "thread.message.incomplete");
        store.Messages.Release(record);
    }
}
