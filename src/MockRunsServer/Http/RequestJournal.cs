using Microsoft.Extensions.Options;
using MockRunsServer.Options;

namespace MockRunsServer.Http;

/// <summary>One journal entry, as recorded when its request finished.</summary>
public sealed record JournalRecord(
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
    bool BodyTruncated,
    Dictionary<string, string>? Headers = null)
{
    /// <summary>Numbered by the journal as it takes the entry in: 1 for the first after start-up or a reset.</summary>
    public long Seq { get; set; }
}

/// <summary>
/// The last <c>Mock:Journal:Size</c> requests in a ring, behind one short lock: an entry is
/// numbered and stored in one step, so a reset cannot fall between the two.
/// </summary>
public sealed class RequestJournal
{
    private readonly Lock gate = new();
    private readonly JournalRecord?[] slots;
    private long written;
    private long clearedThrough;
    private int generation;

    public RequestJournal(IOptions<MockOptions> options)
    {
        Capacity = options.Value.Journal.Size;
        // A body over Mock:MaxRequestBodyBytes is refused with a 413, so the journal never keeps more (one sent
        // without a length is read that far ahead, as the state gate reads it, then journaled as truncated).
        MaxBodyBytes = (int)Math.Min(options.Value.Journal.MaxBodyBytes, options.Value.MaxRequestBodyBytes);
        KeepsHeaders = options.Value.Journal.Headers;
        slots = new JournalRecord?[Math.Max(1, Capacity)];
    }

    public int Capacity { get; }

    public int MaxBodyBytes { get; }

    /// <summary><c>Mock:Journal:Headers</c>: entries keep their request's headers.</summary>
    public bool KeepsHeaders { get; }

    public bool Enabled => Capacity > 0;

    /// <summary>How many resets the journal has seen. A request notes it when it starts, so that one still running at a reset is not recorded after it.</summary>
    public int Generation => Volatile.Read(ref generation);

    /// <summary>Numbers and keeps the entry of a request that started in <paramref name="startedIn"/>; drops it if a reset came since.</summary>
    public void Add(int startedIn, JournalRecord record)
    {
        lock (gate)
        {
            if (generation != startedIn)
            {
                return;
            }
            record.Seq = ++written;
            slots[(int)((written - 1) % slots.Length)] = record;
        }
    }

    /// <summary>The entries still held, oldest first.</summary>
    public List<JournalRecord> Snapshot()
    {
        List<JournalRecord> result;
        lock (gate)
        {
            var first = Math.Max(clearedThrough, written - slots.Length);
            result = new List<JournalRecord>((int)Math.Max(0, written - first));
            foreach (var record in slots)
            {
                if (record is not null && record.Seq > first)
                {
                    result.Add(record);
                }
            }
        }
        // Sorted outside the lock: the engine records streams under a thread's lock, and must not wait on a large sort.
        result.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        return result;
    }

    /// <summary>Forgets every entry so far (numbering goes on); returns how many were held.</summary>
    public int Clear()
    {
        lock (gate)
        {
            var held = Snapshot().Count;
            clearedThrough = written;
            Array.Clear(slots);
            return held;
        }
    }

    /// <summary>As after start-up: no entries, numbering from 1, and no entry from a request begun before.</summary>
    public void Reset()
    {
        lock (gate)
        {
            generation++;
            Array.Clear(slots);
            written = 0;
            clearedThrough = 0;
        }
    }
}
