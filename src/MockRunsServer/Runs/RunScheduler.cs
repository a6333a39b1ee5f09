using MockRunsServer.Store;

namespace MockRunsServer.Runs;

[System.Text.Json.Serialization.JsonConverter(typeof(Wire.StrictStringEnumConverter<TransitionKind>))]
public enum TransitionKind
{
    /// <summary>queued → in_progress.</summary>
    Start,

    /// <summary>Reveals the next piece of the message being written (no status change).</summary>
    Delta,

    /// <summary>in_progress → the plan's ending (completed, requires_action, failed, incomplete).</summary>
    Finish,

    /// <summary>cancelling → cancelled.</summary>
    CancelDone,

    /// <summary>queued, in_progress or requires_action at expires_at → expired.</summary>
    Expire,
}

/// <summary>A transition waiting in the queue; <see cref="Version"/> is the run's version when it was scheduled.</summary>
public readonly record struct ScheduledTransition(RunRecord Run, int Version, TransitionKind Kind, long DueMs);

/// <summary>
/// The one priority queue of every timed transition, keyed by due time (ties in scheduling
/// order). It only stores and hands out entries; <see cref="RunEngine"/> applies them.
/// There is no timer per run: under the real clock the one loop drains it (and a poll that finds its
/// run overdue drains what is due); under the manual clock, the advance call.
/// Transitions due at the same millisecond share one FIFO bucket, and only the buckets' due
/// times are in the heap: runs created together move together, so the heap stays small and a
/// take is O(1) for all but the first transition of each millisecond.
/// </summary>
public sealed class RunScheduler
{
    /// <summary>
    /// A bucket's first segment holds <see cref="FirstSegmentSize"/> entries and each next one twice
    /// as many, up to <see cref="SegmentSize"/>: most buckets hold one entry (each run in
    /// requires_action waits for its own expiry millisecond), and a 256-slot segment each would
    /// cost 6 KB per waiting run; a burst of runs created together still fills large segments.
    /// </summary>
    private const int FirstSegmentSize = 4;
    private const int SegmentSize = 256;
    private const int SpareSegments = 256;

    /// <summary>
    /// The fewest entries at which stale ones are swept out (see <see cref="CompactIfDue"/>): few, since
    /// each stale entry keeps a dropped or deleted thread in memory until swept.
    /// </summary>
    public const int DefaultCompactFrom = 64;

    private readonly PriorityQueue<Bucket, long> dueTimes = new();
    private readonly Dictionary<long, Bucket> buckets = [];
    private readonly Stack<Bucket> spare = new();
    /// <summary>Spare segments by size: index 0 holds <see cref="FirstSegmentSize"/> slots, each next twice as many.</summary>
    private readonly Stack<Segment>[] spareSegments = [.. Enumerable.Range(0, SizeClass(SegmentSize) + 1).Select(_ => new Stack<Segment>())];
    private readonly Lock gate = new();
    private readonly int compactFrom;
    private int count;
    private int compactAt;
    private TaskCompletionSource wake = NewSignal();

    public RunScheduler()
        : this(DefaultCompactFrom)
    {
    }

    /// <summary>For tests: sweep stale entries from a smaller queue.</summary>
    internal RunScheduler(int compactFrom)
    {
        this.compactFrom = compactFrom;
        compactAt = compactFrom;
    }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return count;
            }
        }
    }

    public long? NextDueMs
    {
        get
        {
            lock (gate)
            {
                return dueTimes.TryPeek(out _, out var dueMs) ? dueMs : null;
            }
        }
    }

    /// <summary>A task that completes when something is scheduled; the real-clock loop waits on it.</summary>
    public Task Changed
    {
        get
        {
            lock (gate)
            {
                return wake.Task;
            }
        }
    }

    public void Schedule(RunRecord run, TransitionKind kind, long dueMs)
    {
        run.NextDueMs = dueMs;
        run.Pending = kind;
        TaskCompletionSource? signal;
        lock (gate)
        {
            var wasEarliest = !dueTimes.TryPeek(out _, out var head) || dueMs < head;
            if (!buckets.TryGetValue(dueMs, out var bucket))
            {
                bucket = spare.TryPop(out var reused) ? reused : new Bucket();
                buckets.Add(dueMs, bucket);
                dueTimes.Enqueue(bucket, dueMs);
            }
            bucket.Enqueue(new ScheduledTransition(run, run.Version, kind, dueMs), this);
            count++;
            CompactIfDue();
            signal = wasEarliest ? wake : null;
            if (signal is not null)
            {
                wake = NewSignal();
            }
        }
        signal?.TrySetResult();
    }

    public bool TryTakeDue(long nowMs, out ScheduledTransition transition)
    {
        lock (gate)
        {
            if (dueTimes.TryPeek(out var bucket, out var dueMs) && dueMs <= nowMs)
            {
                transition = bucket.Dequeue(this);
                count--;
                // After a burst has drained, the next sweep comes at twice what is left, not twice the burst.
                if (count < compactAt / 4)
                {
                    compactAt = Math.Max(compactFrom, 2 * count);
                }
                if (bucket.Count == 0)
                {
                    dueTimes.Dequeue();
                    buckets.Remove(dueMs);
                    Recycle(bucket);
                }
                return true;
            }
        }
        transition = default;
        return false;
    }

    /// <summary>
    /// Every run's live transition (not made stale by a later change) with its place in firing order:
    /// by due time, then scheduling order. The state file keeps it, so transitions due together fire
    /// in the same order after a restart.
    /// </summary>
    public Dictionary<RunRecord, (int Place, long DueMs, TransitionKind Kind)> PendingOrder()
    {
        lock (gate)
        {
            var order = new Dictionary<RunRecord, (int, long, TransitionKind)>(count, ReferenceEqualityComparer.Instance);
            foreach (var dueMs in buckets.Keys.Order())
            {
                foreach (var transition in buckets[dueMs].Entries())
                {
                    if (transition.Run.Version == transition.Version)
                    {
                        order.TryAdd(transition.Run, (order.Count, transition.DueMs, transition.Kind));
                    }
                }
            }
            return order;
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            dueTimes.Clear();
            buckets.Clear();
            spare.Clear();
            foreach (var sizeClass in spareSegments)
            {
                sizeClass.Clear();
            }
            count = 0;
            compactAt = compactFrom;
        }
    }

    /// <summary>
    /// A transition made stale (its run moved on, or was deleted) stays queued until it is due, and
    /// holds its run, thread and messages until then: ten minutes for the expiry of a run whose
    /// tool outputs came in. So whenever the queue has doubled since the last sweep, the sweep
    /// drops every entry <see cref="RunEngine"/> would skip when it came due. Doubling keeps the
    /// cost at O(1) per schedule, and the stale entries at most about as many as the live ones.
    /// The caller holds <see cref="gate"/>.
    /// </summary>
    private void CompactIfDue()
    {
        if (count < compactAt)
        {
            return;
        }
        var kept = new List<ScheduledTransition>();
        foreach (var bucket in buckets.Values)
        {
            kept.Clear();
            while (bucket.Count > 0)
            {
                var transition = bucket.Dequeue(this);
                // Read without the run's lock: Version only grows and Deleted is never undone,
                // so an entry seen stale here is stale for good (one seen live may be kept).
                if (!transition.Run.Deleted && transition.Run.Version == transition.Version)
                {
                    kept.Add(transition);
                }
            }
            foreach (var transition in kept)
            {
                bucket.Enqueue(transition, this);
            }
        }
        var live = 0;
        dueTimes.Clear();
        foreach (var (dueMs, bucket) in buckets.ToList())
        {
            if (bucket.Count == 0)
            {
                buckets.Remove(dueMs);
                Recycle(bucket);
            }
            else
            {
                live += bucket.Count;
                dueTimes.Enqueue(bucket, dueMs);
            }
        }
        count = live;
        compactAt = Math.Max(compactFrom, 2 * live);
    }

    private void Recycle(Bucket bucket)
    {
        if (spare.Count < 64)
        {
            spare.Push(bucket);
        }
    }

    private static int SizeClass(int size) => System.Numerics.BitOperations.Log2((uint)(size / FirstSegmentSize));

    private Segment RentSegment(int size) => spareSegments[SizeClass(size)].TryPop(out var segment) ? segment : new Segment(size);

    private void ReturnSegment(Segment segment)
    {
        // A burst of a million runs needs thousands of segments; a few of each size are kept for the next one.
        var spares = spareSegments[SizeClass(segment.Items.Length)];
        if (spares.Count < SpareSegments)
        {
            segment.Next = null;
            spares.Push(segment);
        }
    }

    /// <summary>The transitions due at one millisecond, in scheduling order: a queue of segments (4 entries, then twice as many each, up to 256), never copied as it grows.</summary>
    private sealed class Bucket
    {
        private Segment? head;
        private Segment? tail;
        private int headIndex;

        public int Count { get; private set; }

        public void Enqueue(ScheduledTransition transition, RunScheduler owner)
        {
            if (tail is null || tail.Count == tail.Items.Length)
            {
                var segment = owner.RentSegment(tail is null ? FirstSegmentSize : Math.Min(SegmentSize, tail.Items.Length * 2));
                segment.Count = 0;
                if (tail is null)
                {
                    head = segment;
                    headIndex = 0;
                }
                else
                {
                    tail.Next = segment;
                }
                tail = segment;
            }
            tail.Items[tail.Count++] = transition;
            Count++;
        }

        /// <summary>The entries in order, without taking them.</summary>
        public IEnumerable<ScheduledTransition> Entries()
        {
            var index = headIndex;
            for (var segment = head; segment is not null; segment = segment.Next, index = 0)
            {
                for (var i = index; i < segment.Count; i++)
                {
                    yield return segment.Items[i];
                }
            }
        }

        public ScheduledTransition Dequeue(RunScheduler owner)
        {
            var segment = head!;
            var transition = segment.Items[headIndex];
            segment.Items[headIndex++] = default;
            Count--;
            if (headIndex == segment.Count && (segment.Count == segment.Items.Length || Count == 0))
            {
                head = segment.Next;
                headIndex = 0;
                if (head is null)
                {
                    tail = null;
                }
                owner.ReturnSegment(segment);
            }
            return transition;
        }
    }

    private sealed class Segment(int size)
    {
        public readonly ScheduledTransition[] Items = new ScheduledTransition[size];
        public int Count;
        public Segment? Next;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
