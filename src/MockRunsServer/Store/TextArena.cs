namespace MockRunsServer.Store;

/// <summary>
/// Message texts, copied into shared chunks instead of kept as a string each: the GC tracks one
/// chunk for some fifteen texts, pinned so it never copies it, where it copied each string (each a
/// separate piece among a request's garbage, the costliest thing for a young collection: see
/// bench/README.md). A chunk
/// lives as long as any text in it, and the GC frees it after: nothing is given back by hand, so a
/// deleted message or a dropped thread cannot leave a text dangling. Thread-safe.
/// </summary>
public sealed class TextArena
{
    /// <summary>
    /// 4 KB: shared by ~15 texts (a reply is 50–200 characters). One text still standing keeps its
    /// whole chunk alive: a thread kept for long (in use, or under retention, the most recent) while
    /// the threads around it are deleted or dropped, so at worst a kept text costs a chunk.
    /// </summary>
    internal const int ChunkChars = 2 * 1024;

    /// <summary>Past this a text gets an array of its own rather than a large part of a chunk.</summary>
    internal const int LongText = ChunkChars / 4;

    private readonly Lock gate = new();
    private char[]? chunk;
    private int used;

    public ArenaText Add(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return default;
        }
        if (text.Length > LongText)
        {
            return new ArenaText(text.ToArray(), 0, text.Length);
        }
        lock (gate)
        {
            if (chunk is null || used + text.Length > chunk.Length)
            {
                // Pinned: the pinned object heap is never compacted, so the GC never copies a chunk
                // from generation to generation as it would a young one; a chunk no text uses any
                // more is still freed, by the next full collection.
                chunk = GC.AllocateUninitializedArray<char>(ChunkChars, pinned: true);
                used = 0;
            }
            text.CopyTo(chunk.AsSpan(used));
            var added = new ArenaText(chunk, used, text.Length);
            used += text.Length;
            return added;
        }
    }
}

/// <summary>A text in a <see cref="TextArena"/>; the default is the empty text. Never changes once added.</summary>
public readonly struct ArenaText
{
    private readonly char[]? chunk;
    private readonly int start;

    internal ArenaText(char[] chunk, int start, int length)
    {
        this.chunk = chunk;
        this.start = start;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<char> Span => chunk is null ? [] : chunk.AsSpan(start, Length);

    /// <summary>The first <paramref name="length"/> characters, sharing the same chunk.</summary>
    public ArenaText Prefix(int length) =>
        chunk is null || length <= 0 ? default : new ArenaText(chunk, start, Math.Min(length, Length));

    /// <summary>Characters <paramref name="from"/> to <paramref name="to"/> (exclusive), as a string.</summary>
    public string Slice(int from, int to) => from == 0 && to == 0 ? string.Empty : new string(Span[from..to]);

    public override string ToString() => Slice(0, Length);
}
