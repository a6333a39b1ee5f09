using System.Text.RegularExpressions;

namespace MockRunsServer.Generation;

/// <summary>
/// A regular expression from the user's config or control API (a rule's <c>MessageRegex</c>, a queued
/// fault's <c>path</c>). Matched without backtracking where the pattern allows it: in time linear in the
/// text, with no timeout, so whether it matches never depends on how busy the machine is (a match cut
/// off by a wall-clock timeout would pick another scenario, or no fault, for the same requests and seed).
/// A pattern the non-backtracking engine refuses (backreferences, lookarounds, atomic groups,
/// conditionals, balancing groups, \G, or one over its 10,000 nodes, such as .{1,10000}) keeps a timeout.
/// Such a regex holds 0.1–1.2 MB (a backtracking one ~1 KB), so a caller that may make many shares
/// them and makes at most <see cref="MaxWithoutBacktracking"/> different ones.
/// </summary>
public static class UserPattern
{
    public static readonly TimeSpan BacktrackingTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Different patterns a config's rules (or the fault queue) match without backtracking.</summary>
    public const int MaxWithoutBacktracking = 32;

    /// <summary>The regex, without backtracking unless <paramref name="backtrack"/> or the pattern needs it.</summary>
    public static Regex Create(string pattern, RegexOptions options, bool backtrack = false)
    {
        if (!backtrack)
        {
            try
            {
                return new Regex(pattern, options | RegexOptions.NonBacktracking);
            }
            catch (NotSupportedException)
            {
                // Beyond the engine: backtracking, with a timeout.
            }
        }
        return new Regex(pattern, options, BacktrackingTimeout);
    }
}
