using System.Text.RegularExpressions;

namespace MockRunsServer.Generation;

/// <summary>Checks strings against JSON Schema patterns with .NET's regex engine, compiled once per pattern.</summary>
internal static class PatternMatcher
{
    private static readonly PatternCache<Regex> Cache = new();
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether <paramref name="value"/> matches; null when the pattern is not a usable regex.</summary>
    public static bool? IsMatch(string pattern, string value) => Match(Get(pattern), value);

    /// <summary>
    /// The check for many strings against one pattern, its regex built once: a pattern the cache does
    /// not keep (a long one) would be built again for every candidate otherwise.
    /// </summary>
    public static Func<string, bool?> For(string pattern)
    {
        var regex = Get(pattern);
        return value => Match(regex, value);
    }

    private static bool? Match(Regex? regex, string value)
    {
        if (regex is null)
        {
            return null;
        }

        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    private static Regex? Get(string pattern)
    {
        if (Cache.TryGet(pattern, out var cached))
        {
            return cached;
        }

        Regex? regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException)
        {
            regex = null;
        }

        Cache.TryAdd(pattern, regex);
        return regex;
    }
}
