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
        var message = new MessageObject
        {
            Id = random.NewId("msg"),
            CreatedAt = now,
            AssistantId = run.AssistantId,
            ThreadId = run.ThreadId,
            RunId = run.Id,
            Status = "in_progress",
            Role = "assistant",
        };
        record.CurrentStep = BeginStep(record, now, message.Id);
        record.Thread.Messages.Add(message);
        record.CurrentMessage = message;
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
        message.Write(store.Texts.Add(written));
        // A reply cut before the end of its citation's marker does not cite.
        record.PendingCitation = citation is not null && CitationEnd(written, citation) is > 0 ? citation : null;
        Publish(record, "thread.message.created", message);
        Publish(record, "thread.message.in_progress", message);
    }

    /// <summary>Shows the next piece of the message, so a GET and a stream agree while the text grows.</summary>
    private void RevealNextPiece(RunRecord record, long atMs)
    {
        var text = record.CurrentMessage?.Writing ?? default;
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
        var message = record.CurrentMessage;
        if (message is null || upTo <= record.RevealedChars)
        {
            return;
        }
        var text = message.Writing;
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
        var markerStart = cited is null ? -1 : CitationEnd(text.Span, cited) - cited.Text.Length;
        if (markerStart < from)
        {
            observers.Publish("thread.message.delta", MessageDelta.TextPiece(message.Id, text.Slice(from, upTo), first, cited));
            return;
        }
        // The live API streamed a citation's marker as a delta of its own, the one that carries the annotation.
        var markerEnd = markerStart + cited!.Text.Length;
        if (markerStart > from)
        {
            observers.Publish("thread.message.delta", MessageDelta.TextPiece(message.Id, text.Slice(from, markerStart), first));
            first = false;
        }
        observers.Publish("thread.message.delta", MessageDelta.TextPiece(message.Id, cited.Text, first, cited));
        if (upTo > markerEnd)
        {
            observers.Publish("thread.message.delta", MessageDelta.TextPiece(message.Id, text.Slice(markerEnd, upTo), first: false));
        }
    }

    private void CompleteMessage(RunRecord record, long now)
    {
        if (record.CurrentMessage is not { } message)
        {
            return;
        }
        message.Status = "completed";
        message.CompletedAt = now;
        Publish(record, "thread.message.completed", message);
        record.CurrentMessage = null;
    }

    private void StopMessage(RunRecord record, long now, string reason)
    {
        if (record.CurrentMessage is not { } message)
        {
            return;
        }
        message.Status = "incomplete";
        message.IncompleteAt = now;
        message.IncompleteDetails = new IncompleteDetails(reason);
        Publish(record, "thread.message.incomplete", message);
        record.CurrentMessage = null;
    }
}
