using System.Text.RegularExpressions;

namespace MockRunsServer.Generation;

/// <summary>
/// A regular expression from the user's config or control API (a rule's <c>MessageRegex</c>, a queued
/// fault's <c>path</c>). Matched without backtracking where the pattern allows it: in time linear in the
/// text, with no timeout, so whether it matches never depends on how busy the machine is (a match cut
/// off by a wall-clock timeout would pick another scenario, or no fault, for the same requests and seed).
/// A pattern the non-backtracking engine refuses (backreferences, lookarounds, atomic groups,
/// conditionals, balancing groups, \G, or one over its 10,000 nodes, such as .{1,10000}) keeps a timeout.
/// Such a regex holds 0.1–1.2 MB, so a caller that may make many shares or bounds them.
/// </summary>
public static class UserPattern
{
    public static readonly TimeSpan BacktrackingTimeout = TimeSpan.FromMilliseconds(100);

    public static Regex Create(string pattern, RegexOptions options)
    {
        try
        {
            return new Regex(pattern, options | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, options, BacktrackingTimeout);
        }
    }
}
