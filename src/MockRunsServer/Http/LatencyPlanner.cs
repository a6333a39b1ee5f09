using Microsoft.Extensions.Options;
using MockRunsServer.Generation;
using MockRunsServer.Options;
using MockRunsServer.Scenarios;

namespace MockRunsServer.Http;

/// <summary>The <c>Mock:Latency</c> delay for the next request: the fixed part plus a seeded share of the jitter.</summary>
public sealed class LatencyPlanner(LiveConfig config, IOptions<MockOptions> options)
{
    private const int Salt = 0x1A7E;
    private readonly DerivedRandom random = new(options.Value.Seed, Salt);

    public TimeSpan Next()
    {
        var latency = config.Settings.Latency;
        return latency.Jitter > TimeSpan.Zero ? latency.Fixed + latency.Jitter * random.NextDouble() : latency.Fixed;
    }

    public void Reset() => random.Reset();

    /// <summary>After a saved state is loaded: the draws go on anew, as the ids do.</summary>
    public void ContinueAfter(int session) => random.ContinueAfter(session);
}
