using System.Collections.Concurrent;

namespace MockRunsServer.Generation;

/// <summary>
/// What a schema pattern was built into, by pattern: the first <see cref="MaxEntries"/> patterns, as
/// long as they hold <see cref="MaxChars"/> characters in all. The patterns come from requests and
/// the cache lives as long as the process (a reset keeps it), and what is built from a pattern takes
/// about a hundred bytes per character of it (a parsed tree, a compiled regex): a bound on entries
/// alone let 512 long patterns (a 100 KB alternation each, within a request body's limit) hold
/// gigabytes for good. A pattern past the budget is built again each time it is used.
/// </summary>
internal sealed class PatternCache<T> where T : class
{
    public const int MaxEntries = 512;
    public const int MaxChars = 64 * 1024;

    private readonly ConcurrentDictionary<string, T?> entries = new(StringComparer.Ordinal);
    private int chars;

    /// <summary>The characters of the patterns held.</summary>
    public int Chars => Volatile.Read(ref chars);

    public bool TryGet(string pattern, out T? value) => entries.TryGetValue(pattern, out value);

    public void TryAdd(string pattern, T? value)
    {
        if (pattern.Length > MaxChars || entries.Count >= MaxEntries)
        {
            return;
        }
        // Reserved before the add, so that concurrent adds never take the total past the budget.
        if (Interlocked.Add(ref chars, pattern.Length) > MaxChars || !entries.TryAdd(pattern, value))
        {
            Interlocked.Add(ref chars, -pattern.Length);
        }
    }
}
