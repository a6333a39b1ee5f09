namespace MockRunsServer.Store;

/// <summary>
/// Structs kept in large chunks, found by slot number, instead of as an object each: the GC copies
/// every object a request leaves behind until it reaches the old generation, and a server that
/// keeps everything it made spends its pauses doing that (bench/README.md). A chunk of 1,024 slots
/// of any struct larger than 83 bytes goes straight to the large object heap, which is never
/// copied, and a chunk never moves, so a slot's reference stays valid while the slot is taken.
/// Taking and giving back slots is thread-safe; what a slot holds is guarded by its owner (a
/// thread's lock), like the objects it replaces.
/// </summary>
public sealed class SlotTable<T> where T : struct
{
    private const int ChunkBits = 10;
    private const int ChunkSize = 1 << ChunkBits;

    private readonly Lock gate = new();
    private T[][] chunks = [];
    private int[] free = [];
    private int freeCount;
    private int used;

    /// <summary>The slots taken.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return used - freeCount;
            }
        }
    }

    /// <summary>Read without the lock: chunks are only ever added, and a taken slot's chunk is in every directory since.</summary>
    public ref T this[int slot] => ref Volatile.Read(ref chunks)[slot >> ChunkBits][slot & (ChunkSize - 1)];

    /// <summary>Takes a slot (one given back, else a new one) and stores <paramref name="value"/> in it.</summary>
    public int Add(in T value)
    {
        int slot;
        lock (gate)
        {
            if (freeCount > 0)
            {
                slot = free[--freeCount];
            }
            else
            {
                slot = used++;
                if (slot >> ChunkBits == chunks.Length)
                {
                    var grown = new T[chunks.Length + 1][];
                    chunks.CopyTo(grown, 0);
                    grown[^1] = new T[ChunkSize];
                    Volatile.Write(ref chunks, grown);
                }
            }
        }
        this[slot] = value;
        return slot;
    }

    /// <summary>Gives a slot back, cleared so that it holds no object alive, for the next <see cref="Add"/>.</summary>
    public void Free(int slot)
    {
        this[slot] = default;
        lock (gate)
        {
            if (freeCount == free.Length)
            {
                Array.Resize(ref free, Math.Max(16, free.Length * 2));
            }
            free[freeCount++] = slot;
        }
    }

    /// <summary>Gives every slot back at once, with the memory (a reset).</summary>
    public void Clear()
    {
        lock (gate)
        {
            Volatile.Write(ref chunks, []);
            free = [];
            freeCount = 0;
            used = 0;
        }
    }
}
