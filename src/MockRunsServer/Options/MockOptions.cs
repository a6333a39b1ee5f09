using System.Text.Json.Serialization;

namespace MockRunsServer.Options;

/// <summary>Everything under the <c>Mock</c> section of the configuration.</summary>
public sealed class MockOptions
{
    public const string Section = "Mock";

    public bool RequireBetaHeader { get; set; } = true;
    public int? Seed { get; set; }
    public int PollAfterMaxMs { get; set; } = 1000;
    public bool MessageDirectives { get; set; } = true;
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    public TimingOptions Timings { get; set; } = new();
    public ClockOptions Clock { get; set; } = new();
    public AdminOptions Admin { get; set; } = new();
    public GenerationOptions Generation { get; set; } = new();
    public StreamingOptions Streaming { get; set; } = new();
    public FaultOptions Faults { get; set; } = new();
    public RateLimitOptions RateLimits { get; set; } = new();
    public LatencyOptions Latency { get; set; } = new();
    public AuthOptions Auth { get; set; } = new();
    public JournalOptions Journal { get; set; } = new();
    public RetentionOptions Retention { get; set; } = new();
    public PersistenceOptions Persistence { get; set; } = new();

    /// <summary>Weights of the outcome draw (scenario name → weight).</summary>
    public Dictionary<string, double> Outcomes { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, ScenarioOptions> Scenarios { get; set; } = new(StringComparer.Ordinal);

    public List<RuleOptions> Rules { get; set; } = [];

    /// <summary>A copy of these options with the runtime part (what <c>PUT /_mock/config</c> replaces) taken from <paramref name="runtime"/>.</summary>
    public MockOptions WithRuntime(RuntimeOptions runtime)
    {
        var copy = (MockOptions)MemberwiseClone();
        copy.Timings = runtime.Timings;
        copy.Outcomes = runtime.Outcomes;
        copy.Scenarios = runtime.Scenarios;
        copy.Rules = runtime.Rules;
        copy.Faults = runtime.Faults;
        copy.Latency = runtime.Latency;
        copy.RateLimits = runtime.RateLimits;
        return copy;
    }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class TimingOptions
{
    public TimeSpan Queued { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan InProgress { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan Cancelling { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan Expiry { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>± fraction applied to Queued, InProgress and Cancelling, drawn from the seeded source.</summary>
    public double Jitter { get; set; }
}

public enum ClockMode
{
    Real,
    Manual,
}

public sealed class ClockOptions
{
    public ClockMode Mode { get; set; } = ClockMode.Real;

    /// <summary>Unix seconds where the manual clock starts (and returns to on reset); default: server start.</summary>
    public double? Start { get; set; }
}

public sealed class AdminOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>When set, every /_mock request needs <c>Authorization: Bearer &lt;ApiKey&gt;</c>.</summary>
    public string? ApiKey { get; set; }
}

public sealed class GenerationOptions
{
    public int MinWords { get; set; } = 8;
    public int MaxWords { get; set; } = 30;
}

public sealed class PersistenceOptions
{
    /// <summary>Where the state is saved and loaded from; null or empty keeps everything in memory only.</summary>
    public string? Path { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class RetentionOptions
{
    /// <summary>Past this many threads, the least recently used ones without an active run are dropped; null keeps all.</summary>
    public int? MaxThreads { get; set; }
}

public sealed class StreamingOptions
{
    /// <summary>How many pieces a message's text arrives in, spread over the InProgress time (1 = all at the end).</summary>
    public int Chunks { get; set; } = 4;
}

/// <summary>A named script for one run (contract section 2). Null fields fall back to the built-in or global values.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class ScenarioOptions
{
    public string? Outcome { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public string? IncompleteReason { get; set; }
    public int? ToolCalls { get; set; }
    public string? MessageText { get; set; }
    public TimeSpan? Queued { get; set; }
    public TimeSpan? InProgress { get; set; }
    public TimeSpan? Cancelling { get; set; }
}

/// <summary>A rule of <c>Mock:Rules</c>: every condition given must match; the first matching rule names the scenario.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class RuleOptions
{
    public string? Scenario { get; set; }
    public string? AssistantId { get; set; }
    public string? AssistantName { get; set; }
    public string? Model { get; set; }
    public string? MessageContains { get; set; }
    public string? MessageRegex { get; set; }
    public Dictionary<string, string>? Metadata { get; set; }
}
