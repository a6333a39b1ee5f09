using System.Text.Json.Serialization;

namespace MockRunsServer.Options;

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
