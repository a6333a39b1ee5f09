using System.Text.Json.Serialization;

namespace MockRunsServer.Options;

/// <summary><c>Mock:Latency</c>: wall-clock delay before each answer on the OpenAI routes.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class LatencyOptions
{
    public TimeSpan Fixed { get; set; }

    /// <summary>Up to this much more, drawn uniformly from a seeded source.</summary>
    public TimeSpan Jitter { get; set; }
}
