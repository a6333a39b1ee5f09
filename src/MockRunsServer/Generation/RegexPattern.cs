using System.Text;
using Bogus;

namespace MockRunsServer.Generation;

/// <summary>
/// A JSON Schema <c>pattern</c> parsed far enough to produce strings that match it.
/// </summary>
/// <remarks>
/// Understood: literals and escaped literals; <c>.</c> (emits letters and digits); classes such as
/// <c>[a-z]</c>, <c>[^/]</c>, <c>[A-Z0-9_-]</c>; <c>\d \w \s \D \W \S</c>; <c>\t \n \xHH \uHHHH</c>;
/// <c>\p{L} \p{Lu} \p{Ll} \p{N} \p{Nd}</c> (approximated by their ASCII members); quantifiers
/// <c>? * + {n} {n,} {n,m}</c> and their lazy forms; groups <c>( )</c>, <c>(?: )</c>, <c>(?&lt;name&gt; )</c>
/// and atomic <c>(?&gt; )</c> with alternation; back-references <c>\1</c> and <c>\k&lt;name&gt;</c>;
/// anchors <c>^ $</c>; inline options <c>(?i)</c>, <c>(?i: )</c> (text is emitted as written).
/// Zero-width assertions (<c>\b</c>, look-ahead and look-behind) are skipped when generating, so the
/// caller must check the result with a real regex, which <see cref="PatternMatcher"/> does.
/// Not understood (parsing gives null): <c>(?x)</c>, conditionals, POSIX classes, class
/// subtraction, Unicode categories other than the ones above, back-references to missing groups. Unbounded repeats are kept short; the caller steers their
/// length with the extra-turns range when it needs longer or shorter strings.
/// </remarks>
internal sealed partial class RegexPattern
{
    private const int MaxOutputLength = 20_000;
    private const int MaxRepeatMinimum = 5_000;
    private static readonly PatternCache<RegexPattern> Cache = new();

    private readonly Node _root;
    private readonly int _groupCount;

    private RegexPattern(Node root, int groupCount, bool anchoredStart, bool anchoredEnd)
    {
        _root = root;
        _groupCount = groupCount;
        AnchoredStart = anchoredStart;
        AnchoredEnd = anchoredEnd;
    }

    /// <summary>True when the pattern pins its match to the start of the string somewhere.</summary>
    public bool AnchoredStart { get; }

    /// <summary>True when the pattern pins its match to the end of the string somewhere.</summary>
    public bool AnchoredEnd { get; }

    /// <summary>The parsed pattern, or null when it uses something this parser does not understand.</summary>
    public static RegexPattern? Parse(string pattern)
    {
        if (Cache.TryGet(pattern, out var cached))
        {
            return cached;
        }

        RegexPattern? parsed;
        try
        {
            parsed = new Parser(pattern).ParsePattern();
        }
        catch (NotSupportedException)
        {
            parsed = null;
        }

        Cache.TryAdd(pattern, parsed);
        return parsed;
    }

    /// <summary>
    /// One string the pattern should match (check it: assertions are ignored), or null when
    /// generation ran away. Each unbounded or wide repeat takes between <paramref name="fewestExtra"/>
    /// and <paramref name="mostExtra"/> more turns than its minimum (never past its maximum).
    /// </summary>
    public string? Generate(Randomizer random, int fewestExtra, int mostExtra)
    {
        mostExtra = Math.Max(0, mostExtra);
        var state = new EmitState(random, Math.Clamp(fewestExtra, 0, mostExtra), mostExtra, _groupCount);
        try
        {
            _root.Emit(state);
            return state.Output.ToString();
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private sealed class EmitState(Randomizer random, int fewestExtra, int mostExtra, int groupCount)
    {
        public Randomizer Random { get; } = random;
        public int FewestExtra { get; } = fewestExtra;
        public int MostExtra { get; } = mostExtra;
        public StringBuilder Output { get; } = new();
        public string?[] Captures { get; } = new string?[groupCount + 1];

        public void Append(string text)
        {
            Output.Append(text);
            GuardLength();
        }

        public void Append(char c)
        {
            Output.Append(c);
            GuardLength();
        }

        private void GuardLength()
        {
            if (Output.Length > MaxOutputLength)
            {
                throw new NotSupportedException("pattern output too long");
            }
        }
    }
}
