namespace MockRunsServer.Store;

/// <summary>
/// The ids and places (sequence numbers) of the last items removed from a collection, oldest
/// forgotten first: enough for any page size (100 at most). Guarded by the collection's owner.
/// Kept by the owners of collections whose items can be deleted (a thread's messages, the
/// assistants), so runs and steps, which cannot be, carry nothing for it.
/// </summary>
public sealed class RemovedIds
{
    private const int Capacity = 256;
    private readonly Queue<(string Id, long Seq)> lately = new(4);

    public void Add(string id, long seq)
    {
        if (lately.Count == Capacity)
        {
            lately.Dequeue();
        }
        lately.Enqueue((id, seq));
    }

    public void Clear() => lately.Clear();

    /// <summary>Oldest first, for the state file.</summary>
    public IEnumerable<(string Id, long Seq)> Entries => lately;

    public long? SeqOf(string id)
    {
        foreach (var (removedId, seq) in lately)
        {
            if (string.Equals(removedId, id, StringComparison.Ordinal))
            {
                return seq;
            }
        }
        return null;
    }
}
