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
    public void A_state_file_that_holds_one_thread_id_twice_stops_start_up_and_is_left_as_it_was()
    {
        // Written by hand rather than by a first server, so no shutdown save can race the edit.
        const string thread = """{"thread":{"id":"thread_abcdefghijklmnopqrstuvwx","object":"thread","created_at":1700000000,"metadata":{},"tool_resources":{}},"messages":[],"runs":[]}""";
        var twice = $$"""{"format_version":1,"saved_at_ms":0,"manual_clock_ms":null,"assistants":[],"threads":[{{thread}},{{thread}}]}""";
        Directory.CreateDirectory(directory);
        File.WriteAllText(StatePath, twice);

        using var server = Server();
        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient());

        Assert.Contains("Mock:Persistence:Path", error.ToString());
        Assert.Contains("already in use", error.ToString());
        Assert.Equal(twice, File.ReadAllText(StatePath));
    }

    [Fact]
    public void A_path_that_is_a_directory_stops_start_up_naming_the_key()
    {
        Directory.CreateDirectory(StatePath);

        using var server = Server();
        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient());

        Assert.Contains("Mock:Persistence:Path", error.ToString());
        Assert.Contains("is a directory", error.ToString());
    }

    [Fact]
    public void A_path_whose_folder_cannot_be_made_stops_start_up_naming_the_key()
    {
        Directory.CreateDirectory(directory);
        var blocker = Path.Combine(directory, "a-file");
        File.WriteAllText(blocker, "not a folder");

        using var server = MockServerFactory.With(("Mock:Persistence:Path", Path.Combine(blocker, "state.json")));
        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient());

        Assert.Contains("Mock:Persistence:Path", error.ToString());
        Assert.Contains("cannot be written", error.ToString());
        Assert.Equal("not a folder", File.ReadAllText(blocker));
    }

    public void Dispose()
    {
        // A server's last save can still be renaming its file into place just after the factory is
        // disposed; a leftover temporary directory is harmless, a failed test for it is not.
        for (var attempt = 0; attempt < 5 && Directory.Exists(directory); attempt++)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                Thread.Sleep(100);
            }
        }
    }
}
