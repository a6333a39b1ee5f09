using Bogus;

namespace MockRunsServer.Generation;

// RegexPattern, continued: the parsed tree, each node emitting its part of a matching string.
internal sealed partial class RegexPattern
{
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
}
