using Microsoft.Extensions.Options;
using MockRunsServer.Options;

namespace MockRunsServer.Scenarios;

/// <summary>
/// The runtime configuration in force, as one immutable snapshot: a request or a run sees one
/// version or the other, never a mix. The control API may swap it; reset restores the configured one.
/// </summary>
public sealed class LiveConfig(IOptions<MockOptions> options)
{
    private readonly LiveSettings configured = LiveSettings.From(options.Value);
    private LiveSettings? current;

    public LiveSettings Settings => Volatile.Read(ref current) ?? configured;

    /// <summary>The scenario part of <see cref="Settings"/>.</summary>
    public ScenarioConfig Scenarios => Settings.Scenarios;

    public void Replace(LiveSettings settings) => Volatile.Write(ref current, settings);

    public void Reset() => Volatile.Write(ref current, null);
}

/// <summary>One version of the runtime configuration: the document and what is built from it.</summary>
public sealed record LiveSettings(RuntimeOptions Document, ScenarioConfig Scenarios)
{
    public FaultOptions Faults => Document.Faults;
    public LatencyOptions Latency => Document.Latency;
    public RateLimitOptions RateLimits => Document.RateLimits;

    /// <summary>Builds the snapshot; the options must already have passed <see cref="MockOptionsValidator"/>.</summary>
    public static LiveSettings From(MockOptions options) => new(RuntimeOptions.From(options), ScenarioConfig.From(options));
}
