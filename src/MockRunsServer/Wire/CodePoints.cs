namespace MockRunsServer.Wire;

/// <summary>
/// Lengths in characters as OpenAI counts them (Unicode code points): a limit such as a name's
/// 256, a schema's minLength, an annotation's indices. An emoji is one character, though .NET
/// strings hold it as two UTF-16 units; a lone surrogate counts as one.
/// </summary>
public static class CodePoints
{
    public static int Count(ReadOnlySpan<char> text)
    {
        var count = text.Length;
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                count--;
                i++;
            }
        }
        return count;
    }
}
