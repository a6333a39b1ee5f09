using Microsoft.Extensions.Options;
using MockRunsServer.Options;

namespace MockRunsServer.Scenarios;

/// <summary>Holds the scenario config in force; the control API may swap it, reset restores the configured one.</summary>
public sealed class LiveConfig(IOptions<MockOptions> options)
{
    private readonly ScenarioConfig configured = ScenarioConfig.From(options.Value);
    private ScenarioConfig current = ScenarioConfig.From(options.Value);

    public ScenarioConfig Current => Volatile.Read(ref current);

    public void Replace(ScenarioConfig config) => Volatile.Write(ref current, config);

    public void Reset() => Volatile.Write(ref current, configured);
}
