using MockRunsServer.Store;

namespace MockRunsServer.Http;

/// <summary>What the middleware and endpoints tell each other about a request, through <see cref="HttpContext.Items"/>; the journal reads them.</summary>
public static class RequestNotes
{
    public const string ApiKey = "mock.api_key";
    public const string Scenario = "mock.scenario";
    public const string RunId = "mock.run_id";
    public const string ThreadId = "mock.thread_id";
    public const string Fault = "mock.fault";

    /// <summary>A request that created a run: its id, thread and the scenario it was given.</summary>
    public static void Run(HttpContext context, RunRecord record)
    {
        context.Items[Scenario] = record.Plan.Scenario;
        context.Items[RunId] = record.Id;
        context.Items[ThreadId] = record.Thread.Id;
    }

    public static string? Get(HttpContext context, string key) => context.Items.TryGetValue(key, out var value) ? value as string : null;
}
