namespace MockRunsServer.Store;

/// <summary>
/// Items by id, safe for concurrent use: the ids spread over stripes, each a plain
/// <see cref="Dictionary{TKey, TValue}"/> behind its own lock. Unlike ConcurrentDictionary it keeps
/// no node object per entry (a stripe's entries live in its arrays, which the GC copies as a
/// block), and a stripe grows alone, so no insert waits while a million entries are rehashed.
/// A stripe's lock is only held inside these methods and never taken while waiting for another.
/// </summary>
public sealed class StripedMap<T> where T : class
{
    private const int StripeCount = 64;

    private readonly Dictionary<string, T>[] stripes;
    private int count;

    public StripedMap()
    {
        stripes = new Dictionary<string, T>[StripeCount];
        for (var i = 0; i < stripes.Length; i++)
        {
            stripes[i] = new Dictionary<string, T>(StringComparer.Ordinal);
        }
    }

    public int Count => Volatile.Read(ref count);

    public T? Get(string id)
    {
        var stripe = StripeOf(id);
        lock (stripe)
        {
            return stripe.GetValueOrDefault(id);
        }
    }

    // The count changes inside the stripe's lock, so a Clear of that stripe never subtracts an
    // entry whose add has not been counted yet: the count never goes below zero.
    public bool TryAdd(string id, T item)
    {
        var stripe = StripeOf(id);
        lock (stripe)
        {
            if (!stripe.TryAdd(id, item))
            {
                return false;
            }
            Interlocked.Increment(ref count);
            return true;
        }
    }

    public bool Remove(string id)
    {
        var stripe = StripeOf(id);
        lock (stripe)
        {
            if (!stripe.Remove(id))
            {
                return false;
            }
            Interlocked.Decrement(ref count);
            return true;
        }
    }

    /// <summary>Every item at the moment each stripe is read (items added or removed meanwhile may or may not be in it).</summary>
    public List<T> Snapshot()
    {
        var all = new List<T>(Math.Max(0, Count));
        foreach (var stripe in stripes)
        {
            lock (stripe)
            {
                all.AddRange(stripe.Values);
            }
        }
        return all;
    }

    public void Clear()
    {
        foreach (var stripe in stripes)
        {
            lock (stripe)
            {
                Interlocked.Add(ref count, -stripe.Count);
                stripe.Clear();
            }
        }
    }

    // Ids end in random characters; their last two pick the stripe without hashing the whole id.
    private Dictionary<string, T> StripeOf(string id) =>
        stripes[id.Length < 2 ? 0 : (id[^1] * 31 + id[^2]) & (StripeCount - 1)];
}
