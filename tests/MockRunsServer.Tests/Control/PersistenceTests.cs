using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Control;

/// <summary>Mock:Persistence:Path keeps the state across restarts and refuses to start over a corrupt file.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "mockruns-persistence-" + Guid.NewGuid().ToString("N"));

    private string StatePath => Path.Combine(directory, "state.json");

    private MockServerFactory Server() => MockServerFactory.With(("Mock:Persistence:Path", StatePath));

    [Fact]
    public async Task A_restarted_server_has_the_objects_and_carries_an_unfinished_run_on()
    {
        string assistant, thread, run, message;
        using (var first = Server())
        {
            var api = first.Api();
            (assistant, thread, run) = await api.StartRun();
            message = (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "kept" })).Error(System.Net.HttpStatusCode.BadRequest).Str("message");
            await api.Advance(1);
            Assert.Equal("in_progress", (await api.GetRun(thread, run)).Status());
        }
        Assert.True(File.Exists(StatePath));

        using var second = Server();
        var again = second.Api();
        (await again.Get($"/v1/assistants/{assistant}")).Ok();
        Assert.Equal("in_progress", (await again.GetRun(thread, run)).Status());
        await again.Advance(5);
        Assert.Equal("completed", (await again.GetRun(thread, run)).Status());
        var messages = (await again.Get($"/v1/threads/{thread}/messages")).Ok().Json.GetProperty("data");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Contains("while a run", message);
    }

    [Fact]
    public async Task A_restarted_seeded_server_draws_new_ids_instead_of_the_saved_sessions_again()
    {
        string firstThread, firstRun;
        using (var first = Server())
        {
            (_, firstThread, firstRun) = await first.Api().StartRun();
        }

        using var second = Server();
        var api = second.Api();
        var (_, secondThread, secondRun) = await api.StartRun();

        // The factory seeds both servers alike (Mock:Seed=42): without continuing past the loaded
        // state, the second would issue the first one's ids again and shadow its objects.
        Assert.NotEqual(firstThread, secondThread);
        Assert.NotEqual(firstRun, secondRun);
        Assert.Equal(firstThread, (await api.GetRun(firstThread, firstRun)).Str("thread_id"));
        Assert.Equal(secondThread, (await api.GetRun(secondThread, secondRun)).Str("thread_id"));
        Assert.Equal(2, (await api.Get("/_mock/runs")).Ok().Json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public void A_corrupt_state_file_stops_start_up_and_is_left_as_it_was()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(StatePath, "{ not json");

        using var server = Server();
        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient());

        Assert.Contains("Mock:Persistence:Path", error.ToString());
        Assert.Equal("{ not json", File.ReadAllText(StatePath));
    }

    [Fact]
    public async Task A_state_file_that_holds_one_thread_id_twice_stops_start_up_and_is_left_as_it_was()
    {
        using (var first = Server())
        {
            await first.Api().CreateThread();
            await first.Api().CreateThread();
        }
        var state = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(StatePath))!;
        var threads = state["threads"]!.AsArray();
        threads[1]!["thread"]!["id"] = threads[0]!["thread"]!["id"]!.GetValue<string>();
        var edited = state.ToJsonString();
        File.WriteAllText(StatePath, edited);

        using var server = Server();
        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient());

        Assert.Contains("Mock:Persistence:Path", error.ToString());
        Assert.Contains("already in use", error.ToString());
        Assert.Equal(edited, File.ReadAllText(StatePath));
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
