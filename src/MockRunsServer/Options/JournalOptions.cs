namespace MockRunsServer.Options;

/// <summary><c>Mock:Journal</c>: the request journal behind <c>GET /_mock/requests</c>.</summary>
public sealed class JournalOptions
{
    /// <summary>How many recent requests are kept; 0 turns the journal off.</summary>
    public int Size { get; set; } = 1000;

    /// <summary>Request bodies up to this size (and Mock:MaxRequestBodyBytes) are kept with their entry; larger ones are noted as truncated.</summary>
    public int MaxBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Keeps each request's headers with its entry (a bearer key masked). Off unless asked for: it copies every request's headers.</summary>
    public bool Headers { get; set; }
}
