using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MockRunsServer.Options;
using MockRunsServer.Wire;

namespace MockRunsServer.Store;

/// <summary>
/// Every object the server holds. Threads and runs are found by id in striped maps (a short lock
/// per stripe, no object per entry); a thread's contents are guarded by the thread's own lock,
/// the assistants by one lock of their own (assistant objects are replaced, never mutated, so
/// readers need no lock).
/// </summary>
public sealed class MockStore(IOptions<MockOptions> options)
{
    private readonly int? maxThreads = options.Value.Retention.MaxThreads;

    /// <summary>
    /// Adds over the limit to let pass before the next look for threads to drop: none, or, after a
    /// look that busy threads kept over the limit, a tenth of the limit, so that a store full of
    /// active runs is not scanned on every add. Counted in adds, not as a thread count, so that
    /// threads deleted meanwhile cannot lift the bound.
    /// </summary>
    private int addsToLetPass;
    private readonly Lock evictionGate = new();
    private readonly Lock assistantsGate = new();
    private OrderedCollection<AssistantObject> assistantsInOrder;
    private readonly RemovedIds removedAssistants = new();
    private readonly ConcurrentDictionary<string, AssistantObject> assistants = new(StringComparer.Ordinal);
    private readonly StripedMap<ThreadRecord> threads = new();
    private readonly StripedMap<RunRecord> runs = new();

    public int ThreadCount => threads.Count;

    /// <summary>The files of the vector stores made here, for file search.</summary>
    public VectorStoreFiles VectorStores { get; } = new();

    /// <summary>Every run's steps.</summary>
    public StepTable Steps { get; } = new();

    /// <summary>Every thread's messages.</summary>
    public MessageTable Messages { get; } = new();

    /// <summary>The texts of messages of one text part: a run's reply, a user's text (<see cref="MessageSlot.Text"/>).</summary>
    public TextArena Texts { get; } = new();

    public AssistantObject? FindAssistant(string id) => assistants.GetValueOrDefault(id);

    public AssistantObject GetAssistant(string id) => FindAssistant(id) ?? throw ApiError.NotFound("assistant", id);

    public void PutAssistant(AssistantObject assistant)
    {
        lock (assistantsGate)
        {
            if (assistants.ContainsKey(assistant.Id))
            {
                assistantsInOrder.Replace(assistant);
            }
            else
            {
                assistantsInOrder.Add(assistant);
            }
            assistants[assistant.Id] = assistant;
        }
    }

    /// <summary>Replaces an assistant by a changed copy, atomically with respect to other modifies and deletes.</summary>
    public AssistantObject UpdateAssistant(string id, Func<AssistantObject, AssistantObject> change)
    {
        lock (assistantsGate)
        {
            var current = FindAssistant(id) ?? throw ApiError.NotFound("assistant", id);
            var changed = change(current);
            assistantsInOrder.Replace(changed);
            assistants[id] = changed;
            return changed;
        }
    }

    public bool DeleteAssistant(string id)
    {
        lock (assistantsGate)
        {
            assistantsInOrder.Remove(id, removedAssistants);
            return assistants.TryRemove(id, out _);
        }
    }

    public Page<AssistantObject> ListAssistants(PageRequest page)
    {
        lock (assistantsGate)
        {
            return assistantsInOrder.Page(page, removed: removedAssistants);
        }
    }

    public ThreadRecord? FindThread(string id)
    {
        var thread = threads.Get(id);
        if (maxThreads is not null)
        {
            thread?.Touch();
        }
        return thread;
    }

    public ThreadRecord GetThread(string id) => FindThread(id) ?? throw ApiError.NotFound("thread", id);

    /// <summary>Adds a thread; past <c>Mock:Retention:MaxThreads</c> the least recently used go, except while <paramref name="restoring"/> a saved state, which comes back whole.</summary>
    public void AddThread(ThreadRecord thread, bool restoring = false)
    {
        if (!threads.TryAdd(thread.Id, thread))
        {
            throw new InvalidOperationException($"Thread id {thread.Id} is already in use.");
        }
        if (!restoring && maxThreads is { } max && ThreadCount > max && Interlocked.Decrement(ref addsToLetPass) < 0)
        {
            DropLeastRecentlyUsed(max, thread);
        }
    }

    /// <summary>
    /// Keeps a long-lived server bounded: drops the least recently used threads without an active
    /// run, with their messages and runs. It drops a tenth of the limit at once so the scan is rare,
    /// and finds the cut-off by selection, not by sorting every thread: one linear pass per drop.
    /// The thread being added is never dropped, even when every other thread is busy.
    /// </summary>
    private void DropLeastRecentlyUsed(int max, ThreadRecord added)
    {
        lock (evictionGate)
        {
            var excess = ThreadCount - max;
            if (excess <= 0)
            {
                Volatile.Write(ref addsToLetPass, 0);
                return;
            }
            var target = excess + Math.Max(0, max / 10 - 1);
            var idle = new List<ThreadRecord>(ThreadCount);
            foreach (var thread in threads.Snapshot())
            {
                // Read without the thread's lock to pick candidates; checked again under it below.
                if (thread.Idle && thread != added)
                {
                    idle.Add(thread);
                }
            }
            var cutoff = long.MaxValue;
            if (idle.Count > target)
            {
                var lastUsed = new long[idle.Count];
                for (var i = 0; i < lastUsed.Length; i++)
                {
                    lastUsed[i] = idle[i].LastUsed;
                }
                cutoff = Selection.KthSmallest(lastUsed, target - 1);
            }
            foreach (var thread in idle)
            {
                if (thread.LastUsed > cutoff)
                {
                    continue;
                }
                lock (thread.Gate)
                {
                    if (thread.Deleted || !thread.Idle)
                    {
                        continue;
                    }
                    DeleteThread(thread, streamError: null);
                }
            }
            Volatile.Write(ref addsToLetPass, ThreadCount > max ? Math.Max(1, max / 10) : 0);
        }
    }

    /// <summary>
    /// Deletes the thread with its messages, runs and steps; the caller holds the thread's lock.
    /// Transitions still scheduled for its runs find them deleted and do nothing; their open streams
    /// end with <paramref name="streamError"/> instead of waiting for a run that will never move again.
    /// </summary>
    public void DeleteThread(ThreadRecord thread, ErrorResponse? streamError)
    {
        MarkDeleted(thread, streamError);
        thread.ActiveRun = null;
        RemoveThread(thread);
    }

    private void MarkDeleted(ThreadRecord thread, ErrorResponse? streamError)
    {
        thread.Deleted = true;
        for (var i = 0; i < thread.Runs.Count; i++)
        {
            var run = thread.Runs[i];
            run.Deleted = true;
            run.Version++;
            Steps.FreeAll(run);
            Messages.Release(run);
            if (streamError is not null)
            {
                run.Observers?.Fail(streamError);
                run.Observers = null;
            }
        }
        Messages.FreeAll(ref thread.Messages);
    }

    /// <summary>Takes the thread and its runs out of the maps. The caller holds the thread's lock.</summary>
    private void RemoveThread(ThreadRecord thread)
    {
        threads.Remove(thread.Id);
        for (var i = 0; i < thread.Runs.Count; i++)
        {
            runs.Remove(thread.Runs[i].Id);
        }
    }

    public RunRecord? FindRun(string id) => runs.Get(id);

    public void AddRun(RunRecord run)
    {
        if (!runs.TryAdd(run.Id, run))
        {
            throw new InvalidOperationException($"Run id {run.Id} is already in use.");
        }
    }

    public IEnumerable<RunRecord> AllRuns => runs.Snapshot();

    /// <summary>The assistants, and those deleted lately with their places among them, read together for the state file.</summary>
    public (List<AssistantObject> Assistants, List<RemovedSnapshot> Removed) AssistantsToSave()
    {
        lock (assistantsGate)
        {
            var order = assistantsInOrder;
            return (order.Items.ToList(), removedAssistants.Entries.Select(entry => new RemovedSnapshot(entry.Id, order.PositionOf(entry.Seq))).ToList());
        }
    }

    /// <summary>Assistants deleted before a restart, back in their places among the restored ones, so cursors naming them still work.</summary>
    public void RestoreRemovedAssistants(IEnumerable<RemovedSnapshot> removed)
    {
        lock (assistantsGate)
        {
            foreach (var entry in removed)
            {
                removedAssistants.Add(entry.Id, assistantsInOrder.SeqAt(entry.At));
            }
        }
    }

    /// <summary>Every thread in creation order.</summary>
    public IEnumerable<ThreadRecord> AllThreads() => threads.Snapshot().OrderBy(thread => thread.Thread.CreatedAt).ThenBy(thread => thread.Seq);

    /// <summary>Forgets everything (a reset); open streams end with an error event.</summary>
    public void Clear()
    {
        var resetError = ApiError.ServerError("The server was reset while the run was streaming.").ToResponse();
        lock (assistantsGate)
        {
            assistants.Clear();
            assistantsInOrder.Clear();
            removedAssistants.Clear();
        }
        foreach (var thread in threads.Snapshot())
        {
            lock (thread.Gate)
            {
                MarkDeleted(thread, resetError);
            }
        }
        threads.Clear();
        runs.Clear();
        Steps.Clear();
        Messages.Clear();
        VectorStores.Clear();
        Volatile.Write(ref addsToLetPass, 0);
    }
}
