namespace MockRunsServer.Store;

/// <summary>
/// The files of the vector stores this server made (a create request's <c>vector_stores</c> helper,
/// or the store a file attached for file_search gives a thread), so that a run's file search finds
/// them. Stores named only by id were made elsewhere: their files are not known. Holds the last
/// <see cref="Capacity"/> stores made, and no more than <see cref="MaxFiles"/> file ids in all
/// (the oldest stores go first), so that a long session stays bounded: retention drops threads,
/// not the stores their attachments made, and each file id kept costs ~200 bytes.
/// </summary>
public sealed class VectorStoreFiles
{
    public const int Capacity = 10_000;
    public const int MaxFiles = 100_000;

    private readonly Lock gate = new();
    private readonly Dictionary<string, FileSet> files = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();
    private int fileCount;

    /// <summary>Records a new store and its files (copied).</summary>
    public void Add(string storeId, IEnumerable<string> fileIds)
    {
        lock (gate)
        {
            var set = new FileSet();
            set.AddRange(fileIds);
            if (files.TryAdd(storeId, set))
            {
                order.Enqueue(storeId);
                fileCount += set.Ordered.Count;
                Trim(storeId);
            }
        }
    }

    /// <summary>Adds files to a store made here; a store made elsewhere (its files not known here) is left as it is.</summary>
    public void AddTo(string storeId, IEnumerable<string> fileIds)
    {
        lock (gate)
        {
            if (files.TryGetValue(storeId, out var set))
            {
                fileCount += set.AddRange(fileIds);
                Trim(storeId);
            }
        }
    }

    /// <summary>How many stores and how many file ids in all are held (for tests).</summary>
    public (int Stores, int Files) Count()
    {
        lock (gate)
        {
            return (files.Count, fileCount);
        }
    }

    /// <summary>Drops the oldest stores past either bound; the one just written to is kept (moved to the newest end) while others remain.</summary>
    private void Trim(string current)
    {
        while (order.Count > Capacity || (fileCount > MaxFiles && order.Count > 1))
        {
            var oldest = order.Dequeue();
            if (oldest == current && order.Count > 0 && order.Count < Capacity)
            {
                order.Enqueue(oldest);
                continue;
            }
            fileCount -= files[oldest].Ordered.Count;
            files.Remove(oldest);
        }
    }

    /// <summary>The store's files, oldest first; empty for a store not made here.</summary>
    public string[] Of(string storeId)
    {
        lock (gate)
        {
            return files.TryGetValue(storeId, out var set) ? [.. set.Ordered] : [];
        }
    }

    /// <summary>Every store held, oldest first, for the persistence file.</summary>
    public List<VectorStoreSnapshot> Snapshot()
    {
        lock (gate)
        {
            return order.Select(id => new VectorStoreSnapshot(id, [.. files[id].Ordered])).ToList();
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            files.Clear();
            order.Clear();
            fileCount = 0;
        }
    }
}

public sealed record VectorStoreSnapshot(string Id, List<string> FileIds);

/// <summary>A store's files once each, in the order they came: a set to look up, a list to keep the order.</summary>
internal sealed class FileSet
{
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);

    public List<string> Ordered { get; } = [];

    /// <summary>Adds the files not in the set yet; returns how many that was.</summary>
    public int AddRange(IEnumerable<string> fileIds)
    {
        var added = 0;
        foreach (var fileId in fileIds)
        {
            if (seen.Add(fileId))
            {
                Ordered.Add(fileId);
                added++;
            }
        }
        return added;
    }
}
