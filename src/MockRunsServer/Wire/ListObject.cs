namespace MockRunsServer.Wire;

public sealed class ListObject<T>
{
    public string Object => "list";
    public required IReadOnlyList<T> Data { get; init; }
    public string? FirstId { get; init; }
    public string? LastId { get; init; }
    public bool HasMore { get; init; }
}
