using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MockRunsServer.Options;
using MockRunsServer.Wire;

namespace MockRunsServer.Store;

/// <summary>
/// Every object the server holds. Lookups are lock-free; a thread's contents are guarded by the
/// thread's own lock, the assistants by one lock of their own (assistant objects are replaced,
/// never mutated, so readers need no lock).
/// </summary>
public sealed class MockStore(IOptions<MockOptions> options)
{
    private readonly int? maxThreads = options.Value.Retention.MaxThreads;
    private readonly Lock evictionGate = new();
    private readonly Lock assistantsGate = new();
    private readonly OrderedCollection<AssistantObject> assistantsInOrder = new();
    private readonly ConcurrentDictionary<string, AssistantObject> assistants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ThreadRecord> threads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RunRecord> runs = new(StringComparer.Ordinal);

    public int ThreadCount => threads.Count;

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
            assistantsInOrder.Remove(id);
            return assistants.TryRemove(id, out _);
        }
    }

    public Page<AssistantObject> ListAssistants(PageRequest page)
    {
        lock (assistantsGate)
        {
            return assistantsInOrder.Page(page);
        }
    }

    public ThreadRecord? FindThread(string id)
    {
        var thread = threads.GetValueOrDefault(id);
        if (maxThreads is not null)
        {
            thread?.Touch();
        }
        return thread;
    }

    public ThreadRecord GetThread(string id) => FindThread(id) ?? throw ApiError.NotFound("thread", id);

    public void AddThread(ThreadRecord thread)
    {
        threads[thread.Id] = thread;
        if (maxThreads is { } max && threads.Count > max)
        {
            DropLeastRecentlyUsed(max);
        }
    }

    /// <summary>
    /// Keeps a long-lived server bounded: drops the least recently used threads without an active
    /// run, with their messages and runs. It drops a tenth of the limit at once so the scan is rare.
    /// </summary>
    private void DropLeastRecentlyUsed(int max)
    {
        lock (evictionGate)
        {
            var excess = threads.Count - max;
            if (excess <= 0)
            {
                return;
            }
            var target = excess + Math.Max(0, max / 10 - 1);
            var candidates = threads.Values.OrderBy(thread => thread.LastUsed).ToList();
            foreach (var thread in candidates)
            {
                if (target <= 0)
                {
                    break;
                }
                lock (thread.Gate)
                {
                    if (thread.Deleted || thread.ActiveRun is not null)
                    {
                        continue;
                    }
                    thread.Deleted = true;
                    foreach (var run in thread.Runs.Items)
                    {
                        run.Deleted = true;
                        run.Version++;
                    }
                    RemoveThread(thread);
                }
                target--;
            }
        }
    }

    /// <summary>Removes the thread and, with it, its messages, runs and steps. The caller holds the thread's lock.</summary>
    public void RemoveThread(ThreadRecord thread)
    {
        threads.TryRemove(thread.Id, out _);
        foreach (var run in thread.Runs.Items)
        {
            runs.TryRemove(run.Id, out _);
        }
    }

    public RunRecord? FindRun(string id) => runs.GetValueOrDefault(id);

    public void AddRun(RunRecord run) => runs[run.Id] = run;

    public IEnumerable<RunRecord> AllRuns => runs.Values;

    public IEnumerable<AssistantObject> AllAssistants()
    {
        lock (assistantsGate)
        {
            return assistantsInOrder.Items.ToList();
        }
    }

    /// <summary>Every thread in creation order.</summary>
    public IEnumerable<ThreadRecord> AllThreads() => threads.Values.OrderBy(thread => thread.Thread.CreatedAt).ThenBy(thread => thread.Seq);

    public void Clear()
    {
        lock (assistantsGate)
        {
            assistants.Clear();
            assistantsInOrder.Clear();
        }
        foreach (var thread in threads.Values)
        {
            lock (thread.Gate)
            {
                thread.Deleted = true;
                foreach (var run in thread.Runs.Items)
                {
                    run.Deleted = true;
                    run.Version++;
                    // Open streams end now instead of waiting for a run that will never move again.
                    run.Observers?.Fail(new ApiError(500, "The server was reset while the run was streaming.", null, null, "server_error").ToResponse());
                    run.Observers = null;
                }
            }
        }
        threads.Clear();
        runs.Clear();
    }
}
