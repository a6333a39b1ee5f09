using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Control;

/// <summary>
/// With <c>Mock:Seed</c> and the manual clock, the same requests give the same answers: nothing a
/// session is told may depend on how busy the machine is, and a start from a saved state hands out
/// none of the saved session's ids again, its request ids included.
/// </summary>
public sealed class DeterminismTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "mockruns-determinism-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A pattern that backtracks for ages before its second branch matches the text's last letter.</summary>
    private const string SlowPattern = "^(a+)+$|b$";

    private static readonly string SlowText = new string('a', 40) + "b";

    [Fact]
    public async Task A_rule_whose_pattern_would_backtrack_for_long_still_matches_whatever_the_machine_load()
    {
        using var server = MockServerFactory.With(("Mock:Rules:0:Scenario", "fail"), ("Mock:Rules:0:MessageRegex", SlowPattern));
        var api = server.Api();
        var assistant = await api.CreateAssistant();

        var run = (await api.Post("/v1/threads/runs", new
        {
            assistant_id = assistant,
            thread = new { messages = new[] { new { role = "user", content = SlowText } } },
        })).Ok().Json;
        await api.Advance(3);

        // A match cut off by a 100 ms wall-clock timeout counted as no match: the run completed
        // instead, and on a machine fast enough (a shorter text) it failed, for the same requests.
        Assert.Equal("failed", (await api.GetRun(run.Str("thread_id"), run.Str("id"))).Status());
    }

    [Fact]
    public async Task A_queued_fault_whose_path_pattern_would_backtrack_for_long_still_fails_the_request_it_matches()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        (await api.Post("/_mock/faults/next", new { fault = "500", path = "/(a+)+$|b$" })).Ok();

        var answer = await api.Get("/v1/assistants/" + SlowText);

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
    }

    [Fact]
    public async Task A_start_from_a_saved_state_hands_out_new_request_ids_the_same_for_the_same_file()
    {
        Directory.CreateDirectory(directory);
        var first = Path.Combine(directory, "first.json");
        string savedSessionId;
        using (var server = MockServerFactory.With(("Mock:Persistence:Path", first)))
        {
            savedSessionId = (await server.Api().Get("/v1/assistants")).Ok().Header("x-request-id")!;
        }
        var saved = File.ReadAllText(first);

        async Task<string> FirstIdFromCopy(string name)
        {
            var copy = Path.Combine(directory, name);
            File.WriteAllText(copy, saved);
            using var server = MockServerFactory.With(("Mock:Persistence:Path", copy));
            return (await server.Api().Get("/v1/assistants")).Ok().Header("x-request-id")!;
        }

        var once = await FirstIdFromCopy("once.json");
        var again = await FirstIdFromCopy("again.json");

        Assert.NotEqual(savedSessionId, once);
        Assert.Equal(once, again);
    }
}
