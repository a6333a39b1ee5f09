namespace MockRunsServer.Store;

/// <summary>Something kept in creation order: lists sort by <see cref="Seq"/>, which breaks created_at ties as OpenAI did.</summary>
public interface ISequenced
{
    string Id { get; }
    long Seq { get; }

    /// <summary>Compares without making the id (a message keeps its id in place: <see cref="MessageRef"/>).</summary>
    bool HasId(ReadOnlySpan<char> id);
}

public static class Sequence
{
    private static long last;

    public static long Next() => Interlocked.Increment(ref last);
}
