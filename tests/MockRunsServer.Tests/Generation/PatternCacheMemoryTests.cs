using System.Runtime.CompilerServices;
using MockRunsServer.Generation;

namespace MockRunsServer.Tests.Generation;

/// <summary>
/// Schema patterns come from requests, and what is built from one (its parsed tree, its compiled
/// regex) takes about a hundred bytes per character and lives as long as the process: the caches
/// keep only a bounded number of characters of patterns, not just a bounded number of patterns.
/// </summary>
public sealed class PatternCacheMemoryTests
{
    /// <summary>An alternation of distinct words, about <paramref name="chars"/> long, that no other test uses.</summary>
    private static string Pattern(string tag, int index, int chars)
    {
        var words = Enumerable.Range(0, chars / 12).Select(word => $"{tag}{index}x{word}");
        return "^(" + string.Join("|", words) + ")$";
    }

    /// <summary>Parses out of line, so that no reference to the result is left on this test's stack.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Parsed(string pattern)
    {
        var parsed = RegexPattern.Parse(pattern);
        Assert.NotNull(parsed);
        return new WeakReference(parsed);
    }

    private static void CollectAll()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Fact]
    public void A_long_pattern_is_not_kept_after_use()
    {
        // 100 KB of pattern held about 10 MB for good; 512 of them, gigabytes.
        var parsed = Parsed(Pattern("longpat", 0, 100_000));

        CollectAll();

        Assert.False(parsed.IsAlive, "a 100 KB pattern's parse is still held after use");
    }

    [Fact]
    public void Many_distinct_patterns_hold_a_bounded_number_of_characters()
    {
        const int Chars = 4_000;
        var parsed = Enumerable.Range(0, 100).Select(i => (Pattern("manypat", i, Chars), Parsed(Pattern("manypat", i, Chars)))).ToList();

        CollectAll();

        var held = parsed.Where(entry => entry.Item2.IsAlive).Sum(entry => entry.Item1.Length);
        Assert.True(held <= 64 * 1024, $"{held} characters of patterns held (of {parsed.Sum(entry => entry.Item1.Length)} parsed)");
    }
}
