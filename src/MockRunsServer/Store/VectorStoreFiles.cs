namespace MockRunsServer.Store;

/// <summary>
/// The files of the vector stores this server made (a create request's <c>vector_stores</c> helper,
/// or the store a file attached for file_search gives a thread), so that a run's file search finds
/// them. Stores named only by id were made elsewhere: their files are not known. Holds the last
/// <see cref="Capacity"/> stores made, so that a long session stays bounded.
/// </summary>
public sealed class VectorStoreFiles
{
    public const int Capacity = 10_000;

    private readonly Lock gate = new();
    private readonly Dictionary<string, List<string>> files = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();

    /// <summary>Records a new store and its files (copied).</summary>
    public void Add(string storeId, IEnumerable<string> fileIds)
    {
        lock (gate)
        {
            if (files.TryAdd(storeId, [.. fileIds]))
            {
                order.Enqueue(storeId);
                while (order.Count > Capacity)
                {
                    files.Remove(order.Dequeue());
                }
            }
        }
    }

    /// <summary>Adds files to a store made here; false when the store is not one of them.</summary>
    public bool AddTo(string storeId, IEnumerable<string> fileIds)
    {
        lock (gate)
        {
            if (!files.TryGetValue(storeId, out var list))
            {
                return false;
            }
            foreach (var fileId in fileIds)
            {
                if (!list.Contains(fileId))
                {
                    list.Add(fileId);
                }
            }
            return true;
        }
    }

    /// <summary>The store's files, oldest first; empty for a store not made here.</summary>
    public string[] Of(string storeId)
    {
        lock (gate)
        {
            return files.TryGetValue(storeId, out var list) ? [.. list] : [];
        }
    }

    /// <summary>Every store held, oldest first, for the persistence file.</summary>
    public List<VectorStoreSnapshot> Snapshot()
    {
        lock (gate)
        {
            return order.Select(id => new VectorStoreSnapshot(id, [.. files[id]])).ToList();
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            files.Clear();
            order.Clear();
        }
    }
}

public sealed record VectorStoreSnapshot(string Id, List<string> FileIds);
