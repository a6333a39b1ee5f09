using Microsoft.Extensions.Options;
using MockRunsServer.Options;

namespace MockRunsServer.Http;

/// <summary>One journal entry, as recorded when its request finished.</summary>
public sealed record JournalRecord(
    long Seq,
    long AtMs,
    string Method,
    string Path,
    string? Query,
    int? Status,
    double DurationMs,
    string? RequestId,
    string? Scenario,
    string? RunId,
    string? ThreadId,
    string? Fault,
    int? RetryCount,
    byte[]? Body,
    bool BodyTruncated);

/// <summary>
/// The last <c>Mock:Journal:Size</c> requests in a ring, written without a lock: a writer takes
/// the next sequence number and swaps its entry into the slot, unless a later entry got there
/// first. Readers copy the slots and keep what is inside the window and after the last clear.
/// </summary>
public sealed class RequestJournal
{
    private readonly JournalRecord?[] slots;
    private long written;
    private long clearedThrough;

    public RequestJournal(IOptions<MockOptions> options)
    {
        Capacity = options.Value.Journal.Size;
        // A body over Mock:MaxRequestBodyBytes is refused with a 413 unread; the journal doesn't buffer it either.
        MaxBodyBytes = (int)Math.Min(options.Value.Journal.MaxBodyBytes, options.Value.MaxRequestBodyBytes);
        slots = new JournalRecord?[Math.Max(1, Capacity)];
    }

    public int Capacity { get; }

    public int MaxBodyBytes { get; }

    public bool Enabled => Capacity > 0;

    public long NextSeq() => Interlocked.Increment(ref written);

    public void Add(JournalRecord record)
    {
        ref var slot = ref slots[(int)((record.Seq - 1) % slots.Length)];
        var current = Volatile.Read(ref slot);
        while (current is null || current.Seq < record.Seq)
        {
            var seen = Interlocked.CompareExchange(ref slot, record, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }
            current = seen;
        }
    }

    /// <summary>The entries still held, oldest first.</summary>
    public List<JournalRecord> Snapshot()
    {
        var last = Volatile.Read(ref written);
        var first = Math.Max(Volatile.Read(ref clearedThrough), last - slots.Length);
        var result = new List<JournalRecord>(Math.Min(slots.Length, (int)Math.Max(0, last - first)));
        for (var i = 0; i < slots.Length; i++)
        {
            var record = Volatile.Read(ref slots[i]);
            if (record is not null && record.Seq > first)
            {
                result.Add(record);
            }
        }
        result.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        return result;
    }

    /// <summary>Forgets every entry so far; returns how many were held.</summary>
    public int Clear()
    {
        var held = Snapshot().Count;
        var through = Volatile.Read(ref written);
        Volatile.Write(ref clearedThrough, through);
        for (var i = 0; i < slots.Length; i++)
        {
            // Let go of the cleared entries (and their bodies) without losing one finished meanwhile.
            if (Volatile.Read(ref slots[i]) is { } record && record.Seq <= through)
            {
                Interlocked.CompareExchange(ref slots[i], null, record);
            }
        }
        return held;
    }
}
