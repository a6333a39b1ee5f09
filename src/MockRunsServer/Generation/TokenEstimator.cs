namespace MockRunsServer.Generation;

/// <summary>Token counts estimated the way OpenAI's rule of thumb does it: about four characters a token.</summary>
public static class TokenEstimator
{
    public static int Count(string? text) => ForChars(text?.Length ?? 0);

    /// <summary>The same rule over a length in characters (the part of a text already written).</summary>
    public static int ForChars(int chars) => chars <= 0 ? 0 : (chars + 3) / 4;

    /// <summary>The same rule over a request body's size in bytes.</summary>
    public static long ForBytes(long bytes) => bytes <= 0 ? 0 : (bytes + 3) / 4;

    /// <summary>The longest prefix of <paramref name="text"/> that fits in <paramref name="tokens"/>.</summary>
    public static string Truncate(string text, int tokens) => text[..FittingLength(text, tokens)];

    /// <summary>The length of the longest prefix of <paramref name="text"/> that fits in <paramref name="tokens"/>.</summary>
    public static int FittingLength(ReadOnlySpan<char> text, int tokens)
    {
        // In long: a limit of 2^29 tokens or more (max_completion_tokens has no maximum) overflows an int.
        if (text.Length <= Math.Max(0L, tokens) * 4)
        {
            return text.Length;
        }
        var chars = Math.Max(0, tokens) * 4;
        // Never cut between the two halves of a surrogate pair (an emoji): the half left would be written as U+FFFD.
        if (chars > 0 && char.IsHighSurrogate(text[chars - 1]))
        {
            chars--;
        }
        return chars;
    }
}
