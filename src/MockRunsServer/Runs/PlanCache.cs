using MockRunsServer.Scenarios;

namespace MockRunsServer.Runs;

/// <summary>
/// Plans are values and few differ, so runs share one instance each (a million runs, a handful of
/// plans). The cache belongs to one scenario config: a config PUT or a reset starts a new one, so
/// plans (and the message texts they hold) of configs no longer in use are not kept.
/// </summary>
internal sealed class PlanCache(ScenarioConfig config)
{
    private const int Capacity = 1024;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<RunPlan, RunPlan> plans = new();
    private int count;

    public ScenarioConfig Config => config;

    public int Count => Volatile.Read(ref count);

    public RunPlan Shared(RunPlan plan)
    {
        if (plans.TryGetValue(plan, out var shared))
        {
            return shared;
        }
        if (Volatile.Read(ref count) >= Capacity)
        {
            return plan;
        }
        shared = plans.GetOrAdd(plan, plan);
        if (ReferenceEquals(shared, plan))
        {
            Interlocked.Increment(ref count);
        }
        return shared;
    }
}
