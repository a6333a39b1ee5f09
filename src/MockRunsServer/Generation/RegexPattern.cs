using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
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
internal sealed class RegexPattern
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

    private abstract class Node
    {
        public abstract void Emit(EmitState state);
    }

    private sealed class Empty : Node
    {
        public static readonly Empty Instance = new();

        public override void Emit(EmitState state)
        {
        }
    }

    private sealed class Text(string value) : Node
    {
        public override void Emit(EmitState state) => state.Append(value);
    }

    private sealed class Sequence(Node[] items) : Node
    {
        public override void Emit(EmitState state)
        {
            foreach (var item in items)
            {
                item.Emit(state);
            }
        }
    }

    private sealed class Alternation(Node[] options) : Node
    {
        public override void Emit(EmitState state) => options[state.Random.Number(0, options.Length - 1)].Emit(state);
    }

    private sealed class Repeat(Node body, int min, int max) : Node
    {
        public override void Emit(EmitState state)
        {
            var span = max < 0 ? int.MaxValue : max - min;
            var count = min + state.Random.Number(Math.Min(span, state.FewestExtra), Math.Min(span, state.MostExtra));
            for (var i = 0; i < count; i++)
            {
                body.Emit(state);
            }
        }
    }

    private sealed class Group(Node body, int index) : Node
    {
        public override void Emit(EmitState state)
        {
            var start = state.Output.Length;
            body.Emit(state);
            state.Captures[index] = state.Output.ToString(start, state.Output.Length - start);
        }
    }

    private sealed class BackReference : Node
    {
        public int Index { get; set; }

        public override void Emit(EmitState state)
        {
            var captured = Index < state.Captures.Length ? state.Captures[Index] : null;
            if (captured is not null)
            {
                state.Append(captured);
            }
        }
    }

    /// <summary>A character class as inclusive code-unit ranges, never containing surrogates when positive.</summary>
    private sealed class CharSet : Node
    {
        private const string Alphanumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

        public static readonly (char Lo, char Hi)[] DigitRanges = [('0', '9')];
        public static readonly (char Lo, char Hi)[] WordRanges = [('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
        public static readonly (char Lo, char Hi)[] SpaceRanges =
        [
            ('\t', '\r'), (' ', ' '), ('\u00a0', '\u00a0'), ('\u1680', '\u1680'), ('\u2000', '\u200a'),
            ('\u2028', '\u2029'), ('\u202f', '\u202f'), ('\u205f', '\u205f'), ('\u3000', '\u3000'), ('\ufeff', '\ufeff'),
        ];

        public static readonly CharSet Dot = new([('0', '9'), ('A', 'Z'), ('a', 'z')], negated: false);

        private readonly (char Lo, char Hi)[] _ranges;
        private readonly bool _negated;
        private readonly int _size;

        public CharSet((char Lo, char Hi)[] ranges, bool negated)
        {
            _ranges = negated ? ranges : WithoutSurrogates(ranges);
            _negated = negated;
            foreach (var (lo, hi) in _ranges)
            {
                _size += hi - lo + 1;
            }

            if (!negated && _size == 0)
            {
                throw new NotSupportedException("empty character class");
            }
        }

        public override void Emit(EmitState state) => state.Append(_negated ? PickOutside(state.Random) : PickInside(state.Random));

        private char PickInside(Randomizer random)
        {
            var index = random.Number(0, _size - 1);
            foreach (var (lo, hi) in _ranges)
            {
                var width = hi - lo + 1;
                if (index < width)
                {
                    return (char)(lo + index);
                }

                index -= width;
            }

            return _ranges[0].Lo;
        }

        private char PickOutside(Randomizer random)
        {
            // Prefer letters and digits so "anything but a slash" still reads like text.
            for (var attempt = 0; attempt < 12; attempt++)
            {
                var c = Alphanumerics[random.Number(0, Alphanumerics.Length - 1)];
                if (!Contains(c))
                {
                    return c;
                }
            }

            var offset = random.Number(0, 94);
            for (var i = 0; i < 95; i++)
            {
                var c = (char)(' ' + (offset + i) % 95);
                if (!Contains(c))
                {
                    return c;
                }
            }

            for (int c = 0x80; c <= 0xFFFD; c++)
            {
                if (!char.IsSurrogate((char)c) && !Contains((char)c))
                {
                    return (char)c;
                }
            }

            throw new NotSupportedException("character class excludes everything");
        }

        private bool Contains(char c)
        {
            foreach (var (lo, hi) in _ranges)
            {
                if (c >= lo && c <= hi)
                {
                    return true;
                }
            }

            return false;
        }

        private static (char Lo, char Hi)[] WithoutSurrogates((char Lo, char Hi)[] ranges)
        {
            var result = new List<(char Lo, char Hi)>(ranges.Length);
            foreach (var (lo, hi) in ranges)
            {
                if (hi < '\ud800' || lo > '\udfff')
                {
                    result.Add((lo, hi));
                    continue;
                }

                if (lo < '\ud800')
                {
                    result.Add((lo, '\ud7ff'));
                }

                if (hi > '\udfff')
                {
                    result.Add(('\ue000', hi));
                }
            }

            return [.. result];
        }

        public static (char Lo, char Hi)[] Complement((char Lo, char Hi)[] ranges)
        {
            var sorted = ranges.OrderBy(r => r.Lo).ToArray();
            var result = new List<(char Lo, char Hi)>();
            var next = 0;
            foreach (var (lo, hi) in sorted)
            {
                if (lo > next)
                {
                    result.Add(((char)next, (char)(lo - 1)));
                }

                next = Math.Max(next, hi + 1);
            }

            if (next <= 0xFFFF)
            {
                result.Add(((char)next, '\uffff'));
            }

            return [.. result];
        }
    }

    /// <summary>Recursive descent over the pattern text; throws NotSupportedException on anything outside the subset.</summary>
    private sealed class Parser(string pattern)
    {
        private readonly List<(BackReference Reference, string Name)> _namedReferences = [];
        private readonly Dictionary<string, int> _groupNames = new(StringComparer.Ordinal);
        private readonly List<BackReference> _numberedReferences = [];
        private int _position;
        private int _groupCount;
        private bool _anchoredStart;
        private bool _anchoredEnd;
        private int _nesting;

        public RegexPattern ParsePattern()
        {
            var root = ParseAlternation();
            if (_position < pattern.Length)
            {
                throw new NotSupportedException("unbalanced parenthesis");
            }

            foreach (var (reference, name) in _namedReferences)
            {
                reference.Index = _groupNames.TryGetValue(name, out var index) ? index : throw new NotSupportedException("unknown group name");
            }

            foreach (var reference in _numberedReferences)
            {
                if (reference.Index > _groupCount)
                {
                    throw new NotSupportedException("reference to a missing group");
                }
            }

            return new RegexPattern(root, _groupCount, _anchoredStart, _anchoredEnd);
        }

        private bool AtEnd => _position >= pattern.Length;

        private char Peek(int ahead = 0) => _position + ahead < pattern.Length ? pattern[_position + ahead] : '\0';

        private char Next() => !AtEnd ? pattern[_position++] : throw new NotSupportedException("pattern ends early");

        private Node ParseAlternation()
        {
            if (++_nesting > 64)
            {
                throw new NotSupportedException("pattern nests too deeply");
            }

            var options = new List<Node> { ParseSequence() };
            while (!AtEnd && Peek() == '|')
            {
                _position++;
                options.Add(ParseSequence());
            }

            _nesting--;
            return options.Count == 1 ? options[0] : new Alternation([.. options]);
        }

        private Node ParseSequence()
        {
            var items = new List<Node>();
            while (!AtEnd && Peek() != '|' && Peek() != ')')
            {
                items.Add(ParseQuantifier(ParseAtom()));
            }

            return items.Count switch
            {
                0 => Empty.Instance,
                1 => items[0],
                _ => new Sequence([.. items]),
            };
        }

        private Node ParseAtom()
        {
            var c = Next();
            switch (c)
            {
                case '^':
                    _anchoredStart = true;
                    return Empty.Instance;
                case '$':
                    _anchoredEnd = true;
                    return Empty.Instance;
                case '(':
                    return ParseGroup();
                case '[':
                    return ParseClass();
                case '.':
                    return CharSet.Dot;
                case '\\':
                    return ParseEscape();
                case '*' or '+' or '?':
                    throw new NotSupportedException("nothing to repeat");
                case '{' when TryReadBraces(_position - 1, out _, out _, out _):
                    throw new NotSupportedException("nothing to repeat");
                default:
                    if (char.IsHighSurrogate(c) && char.IsLowSurrogate(Peek()))
                    {
                        return new Text(new string([c, Next()]));
                    }

                    return char.IsSurrogate(c) ? throw new NotSupportedException("lone surrogate") : new Text(c.ToString());
            }
        }

        private Node ParseGroup()
        {
            if (Peek() == '?')
            {
                _position++;
                var kind = Next();
                if (kind is ':' or '>')
                {
                    return CloseGroup(ParseAlternation()); // non-capturing or atomic: the same strings
                }

                if (kind is '=' or '!')
                {
                    CloseGroup(ParseAlternation());
                    return Empty.Instance;
                }

                if (kind == '<' && Peek() is '=' or '!')
                {
                    _position++;
                    CloseGroup(ParseAlternation());
                    return Empty.Instance;
                }

                if (kind == '<')
                {
                    var name = ReadName('>');
                    var index = ++_groupCount;
                    _groupNames[name] = index;
                    return new Group(CloseGroup(ParseAlternation()), index);
                }

                if (kind is 'i' or 'm' or 's' or 'n' or '-')
                {
                    // Inline options such as (?i) or (?i:…): what we emit in one case still matches.
                    while (Peek() is 'i' or 'm' or 's' or 'n' or '-')
                    {
                        _position++;
                    }

                    return Next() switch
                    {
                        ')' => Empty.Instance,
                        ':' => CloseGroup(ParseAlternation()),
                        _ => throw new NotSupportedException("inline option"),
                    };
                }

                throw new NotSupportedException("group construct");
            }

            var number = ++_groupCount;
            return new Group(CloseGroup(ParseAlternation()), number);
        }

        private Node CloseGroup(Node body) => Next() == ')' ? body : throw new NotSupportedException("unclosed group");

        private string ReadName(char terminator)
        {
            var start = _position;
            while (!AtEnd && Peek() != terminator)
            {
                _position++;
            }

            var name = pattern[start.._position];
            Next();
            return name.Length > 0 ? name : throw new NotSupportedException("empty group name");
        }

        private Node ParseQuantifier(Node atom)
        {
            if (AtEnd)
            {
                return atom;
            }

            int min, max;
            switch (Peek())
            {
                case '*':
                    (min, max) = (0, -1);
                    _position++;
                    break;
                case '+':
                    (min, max) = (1, -1);
                    _position++;
                    break;
                case '?':
                    (min, max) = (0, 1);
                    _position++;
                    break;
                case '{' when TryReadBraces(_position, out min, out max, out var length):
                    _position += length;
                    break;
                default:
                    return atom;
            }

            if (!AtEnd && Peek() == '?')
            {
                _position++; // lazy: the same strings match
            }

            if (!AtEnd && Peek() is '*' or '+' or '{' && (Peek() != '{' || TryReadBraces(_position, out _, out _, out _)))
            {
                throw new NotSupportedException("quantifier after quantifier");
            }

            if ((max >= 0 && min > max) || min > MaxRepeatMinimum)
            {
                throw new NotSupportedException("quantifier range");
            }

            return new Repeat(atom, min, max);
        }

        private bool TryReadBraces(int at, out int min, out int max, out int length)
        {
            min = max = length = 0;
            var i = at + 1;
            if (!TryReadNumber(ref i, out min))
            {
                return false;
            }

            max = min;
            if (i < pattern.Length && pattern[i] == ',')
            {
                i++;
                if (!TryReadNumber(ref i, out max))
                {
                    max = -1;
                }
            }

            if (i >= pattern.Length || pattern[i] != '}')
            {
                return false;
            }

            length = i + 1 - at;
            return true;
        }

        private bool TryReadNumber(ref int i, out int value)
        {
            value = 0;
            var start = i;
            while (i < pattern.Length && char.IsAsciiDigit(pattern[i]))
            {
                value = (int)Math.Min(int.MaxValue / 2, (value * 10L) + (pattern[i] - '0'));
                i++;
            }

            return i > start;
        }

        private Node ParseEscape()
        {
            var c = Next();
            switch (c)
            {
                case 'd':
                    return new CharSet(CharSet.DigitRanges, negated: false);
                case 'D':
                    return new CharSet(CharSet.DigitRanges, negated: true);
                case 'w':
                    return new CharSet(CharSet.WordRanges, negated: false);
                case 'W':
                    return new CharSet(CharSet.WordRanges, negated: true);
                case 's':
                    return new Text(" ");
                case 'S':
                    return new CharSet(CharSet.SpaceRanges, negated: true);
                case 'b' or 'B':
                    return Empty.Instance;
                case 'A':
                    _anchoredStart = true;
                    return Empty.Instance;
                case 'z' or 'Z':
                    _anchoredEnd = true;
                    return Empty.Instance;
                case >= '1' and <= '9':
                    {
                        var number = c - '0';
                        while (char.IsAsciiDigit(Peek()))
                        {
                            number = Math.Min(10_000, (number * 10) + (Next() - '0'));
                        }

                        var reference = new BackReference { Index = number };
                        _numberedReferences.Add(reference);
                        return reference;
                    }

                case 'k' when Peek() == '<':
                    {
                        _position++;
                        var reference = new BackReference();
                        _namedReferences.Add((reference, ReadName('>')));
                        return reference;
                    }

                case 'p' or 'P':
                    return new CharSet(ReadCategory(), negated: c == 'P');
                default:
                    return new Text(EscapedChar(c).ToString());
            }
        }

        private (char Lo, char Hi)[] ReadCategory()
        {
            if (Next() != '{')
            {
                throw new NotSupportedException("category");
            }

            return ReadName('}') switch
            {
                "L" or "Letter" => [('A', 'Z'), ('a', 'z')],
                "Lu" or "Uppercase_Letter" => [('A', 'Z')],
                "Ll" or "Lowercase_Letter" => [('a', 'z')],
                "N" or "Nd" or "Number" or "Decimal_Number" => [('0', '9')],
                _ => throw new NotSupportedException("category"),
            };
        }

        private char EscapedChar(char c) => c switch
        {
            't' => '\t',
            'n' => '\n',
            'r' => '\r',
            'f' => '\f',
            'v' => '\v',
            '0' => '\0',
            'x' => (char)ReadHex(2),
            'u' => (char)ReadHex(4),
            'c' when char.IsAsciiLetter(Peek()) => (char)(Next() % 32),
            _ when char.IsAsciiLetterOrDigit(c) => throw new NotSupportedException("unknown escape"),
            _ => c,
        };

        private int ReadHex(int digits)
        {
            var value = 0;
            for (var i = 0; i < digits; i++)
            {
                var c = Next();
                value = (value * 16) + (char.IsAsciiHexDigit(c) ? Convert.ToInt32(c.ToString(), 16) : throw new NotSupportedException("hex escape"));
            }

            if (value is >= 0xD800 and <= 0xDFFF)
            {
                throw new NotSupportedException("surrogate escape");
            }

            return value;
        }

        private CharSet ParseClass()
        {
            var negated = false;
            if (Peek() == '^')
            {
                negated = true;
                _position++;
            }

            var ranges = new List<(char Lo, char Hi)>();
            var first = true;
            while (true)
            {
                var c = Next();
                if (c == ']' && !first)
                {
                    break;
                }

                first = false;
                char lo;
                if (c == '\\')
                {
                    var e = Next();
                    switch (e)
                    {
                        case 'd': ranges.AddRange(CharSet.DigitRanges); continue;
                        case 'D': ranges.AddRange(CharSet.Complement(CharSet.DigitRanges)); continue;
                        case 'w': ranges.AddRange(CharSet.WordRanges); continue;
                        case 'W': ranges.AddRange(CharSet.Complement(CharSet.WordRanges)); continue;
                        case 's': ranges.AddRange(CharSet.SpaceRanges); continue;
                        case 'S': ranges.AddRange(CharSet.Complement(CharSet.SpaceRanges)); continue;
                        case 'p': ranges.AddRange(ReadCategory()); continue;
                        case 'P': ranges.AddRange(CharSet.Complement(ReadCategory())); continue;
                        case 'b': lo = '\b'; break;
                        default: lo = EscapedChar(e); break;
                    }
                }
                else if (c == '[' && Peek() == ':')
                {
                    throw new NotSupportedException("POSIX class");
                }
                else
                {
                    lo = char.IsSurrogate(c) ? throw new NotSupportedException("surrogate in class") : c;
                }

                if (Peek() == '-' && Peek(1) != ']' && _position + 1 < pattern.Length)
                {
                    _position++;
                    var h = Next();
                    var hi = h == '\\' ? EscapedChar(Next()) : h;
                    if (h == '[' || char.IsSurrogate(hi) || hi < lo)
                    {
                        throw new NotSupportedException("class range");
                    }

                    ranges.Add((lo, hi));
                }
                else
                {
                    ranges.Add((lo, lo));
                }
            }

            return new CharSet([.. ranges], negated);
        }
    }
}

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
