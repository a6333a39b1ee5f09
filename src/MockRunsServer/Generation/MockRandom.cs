using Bogus;
using Microsoft.Extensions.Options;
using MockRunsServer.Options;

namespace MockRunsServer.Generation;

/// <summary>
/// The one source of randomness (ids, texts, arguments, outcome draws, jitter). With
/// <c>Mock:Seed</c> a whole session is reproducible; reset puts the seed back.
/// Callers take the lock through <see cref="Use{T}"/> because Bogus' Randomizer is not thread-safe.
/// </summary>
public sealed class MockRandom
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private readonly Lock gate = new();
    private readonly int? seed;
    private Randomizer randomizer;
    private Faker faker;

    public MockRandom(IOptions<MockOptions> options)
        : this(options.Value.Seed)
    {
    }

    public MockRandom(int? seed)
    {
        this.seed = seed;
        randomizer = Create(seed);
        faker = new Faker { Random = randomizer };
    }

    public bool IsSeeded => seed is not null;

    public void Reset()
    {
        lock (gate)
        {
            randomizer = Create(seed);
            faker = new Faker { Random = randomizer };
        }
    }

    public T Use<T>(Func<Faker, T> draw)
    {
        lock (gate)
        {
            return draw(faker);
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
    public string NewId(string prefix)
    {
        Span<char> buffer = stackalloc char[prefix.Length + 1 + 24];
        prefix.AsSpan().CopyTo(buffer);
        buffer[prefix.Length] = '_';
        lock (gate)
        {
            for (var i = prefix.Length + 1; i < buffer.Length; i++)
            {
                buffer[i] = Alphabet[randomizer.Number(0, Alphabet.Length - 1)];
            }
        }
        return new string(buffer);
    }

    private static Randomizer Create(int? seed) => seed is { } value ? new Randomizer(value) : new Randomizer(Random.Shared.Next());
}
