using System.Text.Json.Serialization;

namespace MockRunsServer.Options;

/// <summary>
/// The part of the configuration that <c>GET /_mock/config</c> shows and <c>PUT /_mock/config</c>
/// replaces while the server runs. A PUT replaces the whole document: a section left out takes
/// its built-in default, as a key missing from appsettings.json would.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class RuntimeOptions
{
    public TimingOptions Timings { get; set; } = new();
    public Dictionary<string, double> Outcomes { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, ScenarioOptions> Scenarios { get; set; } = new(StringComparer.Ordinal);
    public List<RuleOptions> Rules { get; set; } = [];
    public FaultOptions Faults { get; set; } = new();
    public LatencyOptions Latency { get; set; } = new();
    public RateLimitOptions RateLimits { get; set; } = new();

    public static RuntimeOptions From(MockOptions options) => new()
    {
        Timings = options.Timings,
        Outcomes = options.Outcomes,
        Scenarios = options.Scenarios,
        Rules = options.Rules,
        Faults = options.Faults,
        Latency = options.Latency,
        RateLimits = options.RateLimits,
    };
}
