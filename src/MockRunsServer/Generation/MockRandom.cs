using Bogus;
using Microsoft.Extensions.Options;
using MockRunsServer.Options;
using MockRunsServer.Store;

namespace MockRunsServer.Generation;

/// <summary>
/// The randomness of the objects and their lifecycle (ids, texts, arguments, outcome draws,
/// jitter). Faults, latency and request ids draw from streams of their own derived from the same
/// seed (<see cref="DerivedRandom"/>), so turning them on shifts nothing here. With
/// <c>Mock:Seed</c> a whole session is reproducible; reset puts the seed back.
/// Callers take the lock through <see cref="Use{T}"/> because Bogus' Randomizer is not thread-safe.
/// </summary>
public sealed class MockRandom
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private readonly Lock gate = new();
    private readonly int? seed;
    private SeededRandomizer randomizer;

    /// <summary>Made on first use: building a Faker loads Bogus' whole locale (~40 ms), which start-up need not wait for.</summary>
    private Faker? faker;

    public MockRandom(IOptions<MockOptions> options)
        : this(options.Value.Seed)
    {
    }

    public MockRandom(int? seed)
    {
        this.seed = seed;
        randomizer = Create(seed);
    }

    public void Reset()
    {
        lock (gate)
        {
            randomizer = Create(seed);
            faker = null;
        }
    }

    /// <summary>
    /// After a saved state is loaded: a seeded generator would otherwise draw the ids of the
    /// sessions before it again. Re-seeding from the seed, the number of starts the state has been
    /// through and the ids it holds keeps the session reproducible (same seed, same file, same
    /// draws) while each start draws anew, even one that finds the same ids (or none) as the last.
    /// </summary>
    public void ContinueAfter(IEnumerable<string> loadedIds, int session)
    {
        if (seed is not { } value)
        {
            return;
        }
        // FNV-1a over the session and the ids: stable across processes, unlike string.GetHashCode.
        var hash = (14695981039346656037UL ^ (ulong)session) * 1099511628211UL;
        foreach (var id in loadedIds)
        {
            foreach (var c in id)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }
            hash = (hash ^ '\n') * 1099511628211UL;
        }
        lock (gate)
        {
            randomizer = Create(unchecked((value * 16777619) ^ (int)(hash ^ (hash >> 32))));
            faker = null;
        }
    }

    public T Use<T>(Func<Faker, T> draw)
    {
        lock (gate)
        {
            return draw(faker ??= new Faker { Random = randomizer });
        }
    }

    /// <summary>
    /// Like <see cref="Use{T}"/>, with the generator's own <see cref="Random"/> for many draws at once:
    /// Bogus' <c>Number(min, max)</c> is <c>Next(min, max + 1)</c> on it behind a global lock per draw,
    /// so drawing here gives the same values for the same seed, without the lock each time.
    /// </summary>
    public T UseSource<T>(Func<Random, T> draw)
    {
        lock (gate)
        {
            return draw(randomizer.Source);
        }
    }

    public double NextDouble()
    {
        lock (gate)
        {
            return randomizer.Double();
        }
    }

    /// <summary>An OpenAI-style id: prefix, underscore, 24 letters and digits.</summary>
    public string NewId(string prefix) => NewId(prefix, 24, Alphabet);

    /// <summary>An id of prefix, underscore and <paramref name="digits"/> lowercase hex digits (OpenAI's vector store ids).</summary>
    public string NewHexId(string prefix, int digits) => NewId(prefix, digits, "0123456789abcdef");

    /// <summary>
    /// An id as <see cref="NewId(string)"/> draws it, kept in place: drawn now, in its turn, and made
    /// a string only when its object is made (a thread's, next to its run's: see RunEngine.CreateThreadAndRun).
    /// </summary>
    public InlineId NewInlineId(string prefix)
    {
        Span<char> buffer = stackalloc char[prefix.Length + 1 + 24];
        Draw(prefix, Alphabet, buffer);
        return InlineId.Of(buffer);
    }

    private string NewId(string prefix, int length, string alphabet)
    {
        Span<char> buffer = stackalloc char[prefix.Length + 1 + length];
        Draw(prefix, alphabet, buffer);
        return new string(buffer);
    }

    private void Draw(string prefix, string alphabet, Span<char> buffer)
    {
        prefix.AsSpan().CopyTo(buffer);
        buffer[prefix.Length] = '_';
        lock (gate)
        {
            var source = randomizer.Source;
            for (var i = prefix.Length + 1; i < buffer.Length; i++)
            {
                buffer[i] = alphabet[source.Next(0, alphabet.Length)];
            }
        }
    }

    private static SeededRandomizer Create(int? seed) => new(seed ?? Random.Shared.Next());

    /// <summary>Bogus' randomizer, opened up: its <see cref="System.Random"/> is the one stream every draw comes from.</summary>
    private sealed class SeededRandomizer(int seed) : Randomizer(seed)
    {
        public Random Source => localSeed;
    }
}
