namespace MockRunsServer.Generation;

/// <summary>
/// A stream of draws of its own, derived from <c>Mock:Seed</c> and a fixed salt. Faults, latency
/// and request ids draw from one each, so turning them on doesn't shift the ids, texts and outcomes
/// that <see cref="MockRandom"/> gives; with a seed each stream repeats exactly, and reset starts
/// them over.
/// </summary>
public sealed class DerivedRandom
{
    private readonly Lock gate = new();
    private readonly int? seed;
    private Random random;

    public DerivedRandom(int? seed, int salt)
    {
        // A fixed mix (HashCode is randomised per process, which would break reproducibility).
        this.seed = seed is { } value ? (int)(unchecked(((uint)value * 2654435761u) ^ (uint)salt) & int.MaxValue) : null;
        random = Create();
    }

    public double NextDouble()
    {
        lock (gate)
        {
            return random.NextDouble();
        }
    }

    public void NextBytes(Span<byte> bytes)
    {
        lock (gate)
        {
            random.NextBytes(bytes);
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            random = Create();
        }
    }

    /// <summary>
    /// After a saved state is loaded (<see cref="MockRandom.ContinueAfter"/>): the stream starts anew for
    /// that start, instead of repeating the saved session's draws (its request ids) from the beginning.
    /// The same seed and session number give the same draws; reset goes back to the seed's own stream.
    /// </summary>
    public void ContinueAfter(int session)
    {
        if (seed is not { } value)
        {
            return;
        }
        lock (gate)
        {
            random = new Random((int)(unchecked((uint)value ^ ((uint)session * 2246822519u + 374761393u)) & int.MaxValue));
        }
    }

    private Random Create() => seed is { } value ? new Random(value) : new Random();
}
