namespace MockRunsServer.Store;

/// <summary>
/// Items in creation order with lookup by id. Not thread-safe: the owner (a thread's lock, the
/// assistants' lock) guards it. Appends are O(1) because sequence numbers only grow.
/// </summary>
public sealed class OrderedCollection<T> where T : class, ISequenced
{
    private readonly List<T> items = [];
    private readonly Dictionary<string, T> byId = new(StringComparer.Ordinal);

    public int Count => items.Count;

    public IReadOnlyList<T> Items => items;

    public void Add(T item)
    {
        if (items.Count > 0 && items[^1].Seq > item.Seq)
        {
            items.Insert(IndexOfSeq(item.Seq), item);
        }
        else
        {
            items.Add(item);
        }
        byId[item.Id] = item;
    }

    public T? Get(string id) => byId.GetValueOrDefault(id);

    public bool Remove(string id)
    {
        if (!byId.Remove(id, out var item))
        {
            return false;
        }
        items.RemoveAt(IndexOfSeq(item.Seq));
        return true;
    }

    public void Replace(T item)
    {
        var index = IndexOfSeq(item.Seq);
        items[index] = item;
        byId[item.Id] = item;
    }

    public void Clear()
    {
        items.Clear();
        byId.Clear();
    }

    /// <summary>One page as OpenAI's cursor lists give it; unknown cursors raise the real 404-free behaviour (an empty page would hide bugs, so the caller validates them).</summary>
    public Page<T> Page(PageRequest request, Func<T, bool>? filter = null)
    {
        var ascending = request.Ascending;
        var start = ascending ? 0 : items.Count - 1;
        var step = ascending ? 1 : -1;

        if (request.After is { } after)
        {
            start = CursorIndex(after, request, "after") + step;
        }

        if (request.Before is { } before)
        {
            return PageBefore(CursorIndex(before, request, "before"), start - step, request, filter);
        }

        var stop = ascending ? items.Count : -1;
        var data = new List<T>(Math.Min(request.Limit, items.Count));
        var hasMore = false;
        for (var i = start; ascending ? i < stop : i > stop; i += step)
        {
            var item = items[i];
            if (filter is not null && !filter(item))
            {
                continue;
            }
            if (data.Count == request.Limit)
            {
                hasMore = true;
                break;
            }
            data.Add(item);
        }
        return new Page<T>(data, hasMore);
    }

    /// <summary>
    /// <c>before</c> asks for the previous page: the <c>limit</c> items just before the cursor
    /// (walking back towards <paramref name="bound"/>, exclusive), answered in the requested order;
    /// <c>has_more</c> says whether more come before them.
    /// </summary>
    private Page<T> PageBefore(int cursor, int bound, PageRequest request, Func<T, bool>? filter)
    {
        var ascending = request.Ascending;
        var back = ascending ? -1 : 1;
        var data = new List<T>(Math.Min(request.Limit, items.Count));
        var hasMore = false;
        for (var i = cursor + back; ascending ? i > bound : i < bound; i += back)
        {
            var item = items[i];
            if (filter is not null && !filter(item))
            {
                continue;
            }
            if (data.Count == request.Limit)
            {
                hasMore = true;
                break;
            }
            data.Add(item);
        }
        data.Reverse();
        return new Page<T>(data, hasMore);
    }

    private int CursorIndex(string id, PageRequest request, string param)
    {
        if (!byId.TryGetValue(id, out var item))
        {
            throw Wire.ApiError.BadRequest($"Invalid '{param}': no object found with id '{id}'.", param, "invalid_value");
        }
        _ = request;
        return IndexOfSeq(item.Seq);
    }

    private int IndexOfSeq(long seq)
    {
        int lo = 0, hi = items.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var value = items[mid].Seq;
            if (value == seq)
            {
                return mid;
            }
            if (value < seq)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return lo;
    }
}

public sealed record PageRequest(int Limit, bool Ascending, string? After, string? Before)
{
    public static readonly PageRequest Default = new(20, false, null, null);
}

public sealed record Page<T>(List<T> Data, bool HasMore);
