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
