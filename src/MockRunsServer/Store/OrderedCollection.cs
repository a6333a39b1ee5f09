using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace MockRunsServer.Store;

/// <summary>
/// Items in creation order with lookup by id. Not thread-safe: the owner (a thread's lock, the
/// assistants' lock) guards it. Appends are O(1) because sequence numbers only grow.
/// Most collections are tiny (a thread's few messages and runs, one thread per run of a million),
/// so one item is kept inline, more in one right-sized array, and the id index is only built once
/// a collection grows past <see cref="IndexFrom"/> items; below that a lookup scans. A struct kept
/// inline in its owner (a field, never a property or a readonly field, so that calls change the
/// owner's copy): an object fewer per collection, which the GC would copy. Items are objects, or
/// a thread's messages as references to their slots (<see cref="MessageRef"/>). A run's steps are
/// not here but in the store's <see cref="StepTable"/>; a page of them is made with a temporary
/// one. Its default value is an empty collection.
/// </summary>
public struct OrderedCollection<T> : IReadOnlyList<T> where T : ISequenced
{
    private const int IndexFrom = 8;

    private T? single;
    private T[]? items;
    private int count;
    private Dictionary<string, T>? byId;

    public int Count => count;

    /// <summary>
    /// The items as a list, to enumerate under the owner's lock: a boxed copy that shares the item
    /// array, so a later add or remove shows through it. It allocates; hot paths index instead.
    /// </summary>
    public readonly IReadOnlyList<T> Items => this;

    public T this[int index] => Live[index];

    /// <summary>Where an item with this sequence number stands or would stand: the index of the first item not before it.</summary>
    public int PositionOf(long seq) => IndexOfSeq(seq);

    /// <summary>
    /// A sequence number that stands at <paramref name="position"/>: the item's there, or past the
    /// last item. A cursor's place survives a restart this way, though every item gets a new number.
    /// </summary>
    public long SeqAt(int position) =>
        position < count ? this[position].Seq : count > 0 ? this[count - 1].Seq + 1 : 0;

    /// <summary>The items in order: the inline one, or the used part of the array.</summary>
    [UnscopedRef]
    private Span<T> Live => items is not null ? items.AsSpan(0, count)
        : count == 0 ? [] : MemoryMarshal.CreateSpan(ref single!, 1);

    public void Add(T item)
    {
        if (items is null && count == 0)
        {
            single = item;
            count = 1;
            return;
        }
        if (items is null)
        {
            items = new T[2];
            items[0] = single!;
            single = default;
        }
        else if (count == items.Length)
        {
            Array.Resize(ref items, count * 2);
        }
        var index = count > 0 && items[count - 1].Seq > item.Seq ? IndexOfSeq(item.Seq) : count;
        if (index < count)
        {
            Array.Copy(items, index, items, index + 1, count - index);
        }
        items[index] = item;
        count++;
        if (byId is not null)
        {
            byId[item.Id] = item;
        }
        else if (count > IndexFrom)
        {
            byId = new Dictionary<string, T>(count * 2, StringComparer.Ordinal);
            foreach (var each in Live)
            {
                byId[each.Id] = each;
            }
        }
    }

    /// <summary>The item with this id, or the default (null for a class) when none has it.</summary>
    public T? Get(string id) => IndexOf(id) is var index and >= 0 ? Live[index] : default;

    private int IndexOf(string id)
    {
        if (byId is not null)
        {
            return byId.TryGetValue(id, out var item) ? IndexOfSeq(item.Seq) : -1;
        }
        var live = Live;
        for (var i = live.Length - 1; i >= 0; i--)
        {
            if (live[i].HasId(id))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Removes the item with this id; <paramref name="remember"/>, when given, keeps where it was for cursors naming it later.</summary>
    public bool Remove(string id, RemovedIds? remember = null)
    {
        var index = IndexOf(id);
        if (index < 0)
        {
            return false;
        }
        RemoveAt(index, id, remember);
        return true;
    }

    /// <summary>Removes the item, which is in the collection.</summary>
    public void Remove(T item, RemovedIds? remember = null) => RemoveAt(IndexOfSeq(item.Seq), item.Id, remember);

    private void RemoveAt(int index, string id, RemovedIds? remember)
    {
        var seq = Live[index].Seq;
        byId?.Remove(id);
        remember?.Add(id, seq);
        if (items is null)
        {
            single = default;
            count = 0;
            return;
        }
        count--;
        Array.Copy(items, index + 1, items, index, count - index);
        items[count] = default!;
    }

    public void Replace(T item)
    {
        Live[IndexOfSeq(item.Seq)] = item;
        if (byId is not null)
        {
            byId[item.Id] = item;
        }
    }

    public void Clear()
    {
        single = default;
        items = null;
        count = 0;
        byId = null;
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// One page as OpenAI's cursor lists give it. A cursor may name an item removed lately (kept in
    /// <paramref name="removed"/> by collections whose items can be deleted): the page goes on from
    /// where it was, as an SDK that deletes what it iterates asks for the page after the last item
    /// it deleted. A cursor this collection never held is a 400.
    /// </summary>
    public Page<T> Page(PageRequest request, Func<T, bool>? filter = null, RemovedIds? removed = null)
    {
        var ascending = request.Ascending;
        var start = ascending ? 0 : count - 1;
        var step = ascending ? 1 : -1;

        if (request.After is { } after)
        {
            // A removed cursor's index is that of the first item after it, so ascending starts there.
            var (index, present) = Cursor(after, "after", removed);
            start = ascending ? (present ? index + 1 : index) : index - 1;
        }

        if (request.Before is { } before)
        {
            var (index, present) = Cursor(before, "before", removed);
            return PageBefore(ascending || present ? index : index - 1, start - step, request, filter);
        }

        return Collect(start, ascending ? count : -1, step, request.Limit, filter);
    }

    /// <summary>
    /// <c>before</c> asks for the previous page: the <c>limit</c> items just before the cursor
    /// (walking back towards <paramref name="bound"/>, exclusive), answered in the requested order;
    /// <c>has_more</c> says whether more come before them.
    /// </summary>
    private Page<T> PageBefore(int cursor, int bound, PageRequest request, Func<T, bool>? filter)
    {
        var back = request.Ascending ? -1 : 1;
        var page = Collect(cursor + back, bound, back, request.Limit, filter);
        page.Data.Reverse();
        return page;
    }

    /// <summary>Up to <paramref name="limit"/> items that pass the filter, from <paramref name="start"/> by <paramref name="step"/> until <paramref name="stop"/> (exclusive); has_more when one more passes.</summary>
    private Page<T> Collect(int start, int stop, int step, int limit, Func<T, bool>? filter)
    {
        var data = new List<T>(Math.Min(limit, count));
        var hasMore = false;
        var live = Live;
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            var item = live[i];
            if (filter is not null && !filter(item))
            {
                continue;
            }
            if (data.Count == limit)
            {
                hasMore = true;
                break;
            }
            data.Add(item);
        }
        return new Page<T>(data, hasMore);
    }

    /// <summary>Where a cursor stands: the item's index, or for an item removed lately the index of the first item after it.</summary>
    private (int Index, bool Present) Cursor(string id, string param, RemovedIds? removed)
    {
        if (IndexOf(id) is var index and >= 0)
        {
            return (index, true);
        }
        if (removed?.SeqOf(id) is { } seq)
        {
            return (IndexOfSeq(seq), false);
        }
        throw Wire.ApiError.BadRequest($"Invalid '{param}': no object found with id '{id}'.", param, "invalid_value");
    }

    /// <summary>The index of the item with this sequence number or, when none has it, of the first item after it.</summary>
    private int IndexOfSeq(long seq)
    {
        var live = Live;
        int lo = 0, hi = live.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var value = live[mid].Seq;
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
