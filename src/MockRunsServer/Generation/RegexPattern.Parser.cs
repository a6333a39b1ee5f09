namespace MockRunsServer.Generation;

// RegexPattern, continued: the parser that turns a pattern into the tree of RegexPattern.Nodes.cs.
internal sealed partial class RegexPattern
{
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
