using System.Text.Json.Serialization;

namespace MockRunsServer.Options;

/// <summary>
/// <c>Mock:Faults</c>: per-request probabilities (0–1, summing to at most 1) of an injected fault
/// on the OpenAI routes. The draws come from their own seeded source (see <c>Generation/DerivedRandom</c>).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FaultOptions
{
    /// <summary>Probability of a 429 with OpenAI's rate-limit body and headers.</summary>
    public double RateLimit { get; set; }

    /// <summary>Probability of a 500 <c>server_error</c>.</summary>
    public double ServerError { get; set; }

    /// <summary>Probability of a 503 <c>server_error</c>.</summary>
    public double ServiceUnavailable { get; set; }

    /// <summary>Probability of dropping the connection without an answer.</summary>
    public double Drop { get; set; }

    /// <summary>What an injected 429 asks the client to wait (<c>retry-after</c>, <c>retry-after-ms</c>).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A method, not a property: a property the document ignores would let PUT /_mock/config take "total" without a word.</summary>
    public double Total() => RateLimit + ServerError + ServiceUnavailable + Drop;
}

/// <summary><c>Mock:RateLimits</c>: a token-bucket limiter per API key; null leaves that dimension unlimited.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class RateLimitOptions
{
    public int? RequestsPerMinute { get; set; }

    /// <summary>Tokens are estimated from the request body: a token per four bytes, like TokenEstimator.</summary>
    public int? TokensPerMinute { get; set; }

    /// <summary>A method, not a property: a property the document ignores would let PUT /_mock/config take "enabled" without a word.</summary>
    public bool Enabled() => RequestsPerMinute is not null || TokensPerMinute is not null;
}

/// <summary><c>Mock:Latency</c>: wall-clock delay before each answer on the OpenAI routes.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class LatencyOptions
{
    public TimeSpan Fixed { get; set; }

    /// <summary>Up to this much more, drawn uniformly from a seeded source.</summary>
    public TimeSpan Jitter { get; set; }
}

/// <summary><c>Mock:Auth</c>: the accepted API keys; empty accepts any key or none.</summary>
public sealed class AuthOptions
{
    public List<string> ApiKeys { get; set; } = [];
}

/// <summary><c>Mock:Journal</c>: the request journal behind <c>GET /_mock/requests</c>.</summary>
public sealed class JournalOptions
{
    /// <summary>How many recent requests are kept; 0 turns the journal off.</summary>
    public int Size { get; set; } = 1000;

    /// <summary>Request bodies up to this size (and Mock:MaxRequestBodyBytes) are kept with their entry; larger ones are noted as truncated.</summary>
    public int MaxBodyBytes { get; set; } = 16 * 1024;
}
