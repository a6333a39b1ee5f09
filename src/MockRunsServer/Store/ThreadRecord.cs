using MockRunsServer.Wire;

namespace MockRunsServer.Store;

/// <summary>
/// A thread and everything in it. <see cref="Gate"/> guards all of it — the thread object, its
/// messages, its runs and their steps — so a run's state changes are atomic per thread.
/// Never hold it across an await.
/// </summary>
public sealed class ThreadRecord
{
    public ThreadRecord(ThreadObject thread)
    {
        Thread = thread;
    }

    /// <summary>The record itself, as a monitor: a separate Lock would cost 40 bytes per thread.</summary>
    public object Gate => this;

    public long Seq { get; } = Sequence.Next();

    /// <summary>Replaced, never mutated, on modify, so a reference read outside the lock stays consistent.</summary>
    public ThreadObject Thread { get; set; }

    public string Id => Thread.Id;

    /// <summary>The thread's messages, in order; each in the store's <see cref="MessageTable"/>.</summary>
    public OrderedCollection<MessageRef> Messages;

    public OrderedCollection<RunRecord> Runs;

    /// <summary>Messages deleted lately, for list cursors that name them; made on the first delete.</summary>
    public RemovedIds? RemovedMessages;

    /// <summary>The run in queued, in_progress, requires_action or cancelling, if any: OpenAI allowed one.</summary>
    public RunRecord? ActiveRun { get; set; }

    /// <summary>
    /// Whether retention may drop the thread now. Read without the lock to pick candidates, again
    /// under it. Create thread and run stores its thread with the run already active.
    /// </summary>
    public bool Idle => ActiveRun is null;

    public bool Deleted { get; set; }

    /// <summary>When the thread was last used (a sequence number), for dropping the least recently used first.</summary>
    public long LastUsed { get; private set; } = Sequence.Next();

    public void Touch() => LastUsed = Sequence.Next();
}
