using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Tests.Streaming;

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
    public async Task A_server_stopped_from_two_places_at_once_saves_once_and_both_stops_wait_for_that_save()
    {
        // A test host is stopped by its factory's dispose and by the app's own wait for shutdown, at
        // the same time; a second save still running after the dispose held the file a restarted server opens.
        var log = new RecordingLoggerProvider();
        using var server = new LoggedServer(StatePath, log);
        await server.Api().StartRun();
        var persistence = server.Services.GetRequiredService<MockRunsServer.Store.StatePersistence>();

        await Task.WhenAll(persistence.StopAsync(CancellationToken.None), persistence.StopAsync(CancellationToken.None));

        Assert.Single(log.Lines, line => line.Message.StartsWith("Saved ", StringComparison.Ordinal));
        Assert.True(File.Exists(StatePath));
        Assert.False(File.Exists(StatePath + ".tmp"));
    }

    private sealed class LoggedServer(string path, RecordingLoggerProvider log) : MockServerFactory(new Dictionary<string, string?>
    {
        ["Mock:Persistence:Path"] = path,
        ["Logging:LogLevel:MockRunsServer.Store.StatePersistence"] = "Information",
    })
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(log));
        }
    }

    [Fact]
    public async Task A_reply_begun_before_a_restart_still_cites_the_file_its_search_found()
    {
        string thread;
        using (var first = Server())
        {
            var api = first.Api();
            var assistant = await api.CreateAssistant(new { model = "gpt-4o", tools = new[] { new { type = "file_search" } } });
            thread = await api.CreateThread(new
            {
                messages = new[] { new { role = "user", content = "Summarise it.", attachments = new[] { new { file_id = "file-alpha", tools = new[] { new { type = "file_search" } } } } } },
            });
            var run = (await api.CreateRun(thread, new { assistant_id = assistant }, ("X-Mock-Scenario", "complete"))).Ok().Id;
            await api.Advance(0.6);
            Assert.Equal("in_progress", (await api.GetRun(thread, run)).Status());
        }

        using var second = Server();
        var again = second.Api();
        await again.Advance(3);
        var text = (await again.Get($"/v1/threads/{thread}/messages?limit=1")).Ok().Json.GetProperty("data")[0].GetProperty("content")[0].GetProperty("text");
        Assert.Equal("file-alpha", Assert.Single(text.GetProperty("annotations").EnumerateArray()).GetProperty("file_citation").Str("file_id"));
    }

    [Fact]
    public async Task The_include_of_a_create_before_a_restart_still_holds_for_the_run_s_submit_stream()
    {
        string thread, run;
        JsonElement created;
        using (var first = Server())
        {
            var api = first.Api();
            var assistant = await api.CreateAssistant(new { model = "gpt-4o", tools = new object[] { new { type = "file_search" }, StreamingApi.Function("get_weather") } });
            thread = await api.CreateThread(new
            {
                messages = new[] { new { role = "user", content = "Weather, and the report?", attachments = new[] { new { file_id = "file-alpha", tools = new[] { new { type = "file_search" } } } } } },
            });
            var include = "?include[]=" + Uri.EscapeDataString("step_details.tool_calls[*].file_search.results[*].content");
            run = (await api.Post($"/v1/threads/{thread}/runs{include}", new { assistant_id = assistant }, ("X-Mock-Scenario", "tool_call"))).Ok().Id;
            await api.Advance(3);
            created = await api.GetRun(thread, run);
            Assert.Equal("requires_action", created.Status());
        }

        using var second = Server();
        var again = second.Api();
        await using var submitted = await EventStream.Open(again, $"/v1/threads/{thread}/runs/{run}/submit_tool_outputs",
            new { tool_outputs = StreamingApi.OutputsFor(created), stream = true });
        await again.Advance(3);
        await submitted.ReadToEnd();

        var search = submitted.Events.Named("thread.run.step.completed").Select(e => e.Json())
            .Single(step => step.Str("type") == "tool_calls" && step.GetProperty("step_details").GetProperty("tool_calls")[0].Str("type") == "file_search");
        var result = Assert.Single(search.GetProperty("step_details").GetProperty("tool_calls")[0].GetProperty("file_search").GetProperty("results").EnumerateArray());
        Assert.Equal("text", Assert.Single(result.GetProperty("content").EnumerateArray()).Str("type"));
    }

    [Fact]
    public async Task The_files_of_a_vector_store_made_before_a_restart_are_still_found()
    {
        string assistant;
        using (var first = Server())
        {
            assistant = await first.Api().CreateAssistant(new
            {
                model = "gpt-4o",
                tools = new[] { new { type = "file_search" } },
                tool_resources = new { file_search = new { vector_stores = new[] { new { file_ids = new[] { "file-kept" } } } } },
            });
        }

        using var second = Server();
        var api = second.Api();
        var thread = await api.CreateThread(new { messages = new[] { new { role = "user", content = "Look it up." } } });
        var run = (await api.CreateRun(thread, new { assistant_id = assistant }, ("X-Mock-Scenario", "complete"))).Ok().Id;
        await api.Advance(3);
        var search = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps?order=asc")).Ok().Json.GetProperty("data")[0];
        var result = Assert.Single(search.GetProperty("step_details").GetProperty("tool_calls")[0].GetProperty("file_search").GetProperty("results").EnumerateArray());
        Assert.Equal("file-kept", result.Str("file_id"));
    }

    [Fact]
    public async Task A_state_file_saved_again_with_a_byte_order_mark_still_loads()
    {
        string assistant;
        using (var first = Server())
        {
            (assistant, _, _) = await first.Api().StartRun();
        }
        var withMark = Path.Combine(directory, "with-mark.json");
        File.WriteAllText(withMark, File.ReadAllText(StatePath), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(0xEF, File.ReadAllBytes(withMark)[0]);

        using var second = MockServerFactory.With(("Mock:Persistence:Path", withMark));
        Assert.Equal(assistant, (await second.Api().Get($"/v1/assistants/{assistant}")).Ok().Json.Str("id"));
    }

    [Fact]
    public async Task A_state_saved_before_tools_were_echoed_in_full_loads_with_the_defaults_filled_in()
    {
        // Written by hand, as the server saved a file_search tool before: its settings as the request gave them.
        const string assistant = """{"id":"asst_abcdefghijklmnopqrstuvwx","object":"assistant","created_at":1700000000,"name":null,"description":null,"model":"gpt-4o","instructions":null,"tools":[{"type":"file_search","file_search":{"ranking_options":{"score_threshold":1}}},{"type":"file_search","file_search":{"max_num_results":5}},{"type":"file_search"},{"type":"code_interpreter"}],"top_p":1.0,"temperature":1.0,"reasoning_effort":null,"tool_resources":{},"metadata":{},"response_format":"auto"}""";
        Directory.CreateDirectory(directory);
        File.WriteAllText(StatePath, $$"""{"format_version":1,"saved_at_ms":0,"manual_clock_ms":null,"assistants":[{{assistant}}],"threads":[]}""");

        using var server = Server();
        var assistantBody = (await server.Api().Get("/v1/assistants/asst_abcdefghijklmnopqrstuvwx")).Ok().Json;
        var tools = assistantBody.GetProperty("tools");
        Assert.Equal("""{"type":"file_search","file_search":{"ranking_options":{"ranker":"default_2024_08_21","score_threshold":0.0,"hybrid_search":null}}}""", tools[2].GetRawText());
        Assert.Equal("""{"code_interpreter":{"file_ids":[]}}""", assistantBody.GetProperty("tool_resources").GetRawText());

        Assert.Equal("""{"ranking_options":{"ranker":"default_2024_08_21","score_threshold":1.0,"hybrid_search":null}}""", tools[0].GetProperty("file_search").GetRawText());
        Assert.Equal("""{"max_num_results":5,"ranking_options":{"ranker":"default_2024_08_21","score_threshold":0.0,"hybrid_search":null}}""", tools[1].GetProperty("file_search").GetRawText());
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
    public async Task A_seeded_session_that_deleted_as_much_as_it_created_does_not_hand_out_its_ids_again()
    {
        string first, second;
        using (var server = Server())
        {
            first = await server.Api().CreateAssistant();
        }
        using (var server = Server())
        {
            var api = server.Api();
            second = await api.CreateAssistant();
            (await api.Delete($"/v1/assistants/{first}")).Ok();
        }

        // The file again holds one object, as after the first session; the next draws must still differ.
        using var third = Server();
        var created = (await third.Api().Post("/v1/assistants", new { model = "gpt-4o" })).Ok().Id;

        Assert.NotEqual(second, created);
        Assert.Equal(2, (await third.Api().Get("/v1/assistants")).Ok().Json.Ids().Count());
    }

    [Fact]
    public async Task A_save_tells_how_many_assistants_and_threads_it_wrote()
    {
        using var server = Server();
        var api = server.Api();
        await api.StartRun();
        await api.CreateThread();

        var saved = server.Services.GetRequiredService<MockRunsServer.Store.StatePersistence>().Save();

        Assert.Equal((1, 2), saved);
    }

    [Fact]
    public async Task Seeded_sessions_that_each_delete_all_they_made_never_hand_out_an_id_twice()
    {
        var handedOut = new List<string>();
        for (var start = 0; start < 3; start++)
        {
            using var server = Server();
            var api = server.Api();
            var thread = await api.CreateThread();
            handedOut.Add(thread);
            (await api.Delete($"/v1/threads/{thread}")).Ok();
        }

        // Each session saved an empty state; each start must still draw anew.
        Assert.Equal(3, handedOut.Distinct().Count());
    }

    [Fact]
    public async Task A_seeded_start_from_the_same_file_draws_the_same_ids_again()
    {
        using (var first = Server())
        {
            await first.Api().CreateThread();
        }
        var saved = File.ReadAllText(StatePath);

        // Each start gets its own copy: a server's shutdown save may still land after its dispose.
        async Task<string> StartFromCopy(string name)
        {
            var copy = Path.Combine(directory, name);
            File.WriteAllText(copy, saved);
            using var server = MockServerFactory.With(("Mock:Persistence:Path", copy));
            return await server.Api().CreateThread();
        }

        Assert.Equal(await StartFromCopy("once.json"), await StartFromCopy("again.json"));
    }

    [Fact]
    public async Task A_manual_clock_restarts_at_the_saved_time_even_when_this_start_is_later()
    {
        using (var first = Server())
        {
            await first.Api().Advance(5);
        }

        using var second = MockServerFactory.With(("Mock:Persistence:Path", StatePath), ("Mock:Clock:Start", "1800000000"));
        var now = (await second.Api().Get("/_mock/clock")).Ok().Json.Long("now");

        Assert.Equal(MockServerFactory.Start + 5, now);
    }

    [Fact]
    public async Task Retention_drops_the_least_recently_used_thread_after_a_restart_too()
    {
        MockServerFactory Limited() => MockServerFactory.With(("Mock:Persistence:Path", StatePath), ("Mock:Retention:MaxThreads", "3"));
        string first, second, third;
        using (var server = Limited())
        {
            var api = server.Api();
            first = await api.CreateThread();
            second = await api.CreateThread();
            third = await api.CreateThread();
            (await api.Get($"/v1/threads/{first}")).Ok();
        }

        using var restarted = Limited();
        var again = restarted.Api();
        await again.CreateThread();

        (await again.Get($"/v1/threads/{second}")).Error(System.Net.HttpStatusCode.NotFound);
        (await again.Get($"/v1/threads/{first}")).Ok();
        (await again.Get($"/v1/threads/{third}")).Ok();
    }

    [Fact]
    public async Task A_state_past_the_thread_limit_comes_back_whole()
    {
        // Threads busy with runs keep the store over the limit until the next look; a restart must
        // not drop any (it dropped the one used last: the use order was restored after the adds).
        MockServerFactory Limited() => MockServerFactory.With(("Mock:Persistence:Path", StatePath), ("Mock:Retention:MaxThreads", "3"));
        var threads = new List<string>();
        using (var server = Limited())
        {
            var api = server.Api();
            for (var i = 0; i < 3; i++)
            {
                threads.Add((await api.StartRun()).Thread);
            }
            threads.Add(await api.CreateThread());
            await api.Advance(5);
            (await api.Get($"/v1/threads/{threads[0]}")).Ok();
        }

        using var restarted = Limited();
        var again = restarted.Api();

        foreach (var id in threads)
        {
            (await again.Get($"/v1/threads/{id}")).Ok();
        }
    }

    [Fact]
    public async Task Runs_keep_their_order_across_threads_and_transitions_due_together_fire_in_the_same_order()
    {
        string first, second;
        using (var server = Server())
        {
            var api = server.Api();
            var assistant = await api.CreateAssistant(new { model = "gpt-4o" });
            var early = await api.CreateThread();
            var late = await api.CreateThread();
            // The later thread's run first: the control API's order is the order runs were made in.
            first = (await api.Post($"/v1/threads/{late}/runs", new { assistant_id = assistant }, ("X-Mock-Scenario", "complete"))).Ok().Id;
            second = (await api.Post($"/v1/threads/{early}/runs", new { assistant_id = assistant }, ("X-Mock-Scenario", "complete"))).Ok().Id;
            Assert.Equal([first, second], (await api.Get("/_mock/runs")).Ok().Json.Ids());
        }

        using var restarted = Server();
        var again = restarted.Api();

        Assert.Equal([first, second], (await again.Get("/_mock/runs")).Ok().Json.Ids());
        var fired = (await again.Post("/_mock/clock/advance", new { seconds = 0.5 })).Ok().Json.GetProperty("fired").EnumerateArray().Select(move => move.Str("run_id")).ToList();
        Assert.Equal([first, second], fired);
    }

    [Fact]
    public async Task A_list_cursor_naming_an_object_deleted_before_a_restart_still_works()
    {
        string thread, deletedMessage, deletedAssistant;
        List<string> assistantsAfter, messagesAfter, assistantsBefore, messagesBefore;
        using (var server = Server())
        {
            var api = server.Api();
            var assistants = new[] { await api.CreateAssistant(new { model = "gpt-4o" }), await api.CreateAssistant(new { model = "gpt-4o" }), await api.CreateAssistant(new { model = "gpt-4o" }) };
            deletedAssistant = assistants[1];
            (await api.Delete($"/v1/assistants/{deletedAssistant}")).Ok();
            thread = await api.CreateThread();
            var messages = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                messages.Add((await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = $"m{i}" })).Ok().Id);
            }
            deletedMessage = messages[1];
            (await api.Delete($"/v1/threads/{thread}/messages/{deletedMessage}")).Ok();
            assistantsAfter = [.. (await api.Get($"/v1/assistants?after={deletedAssistant}")).Ok().Json.Ids()];
            assistantsBefore = [.. (await api.Get($"/v1/assistants?before={deletedAssistant}")).Ok().Json.Ids()];
            messagesAfter = [.. (await api.Get($"/v1/threads/{thread}/messages?after={deletedMessage}&order=asc")).Ok().Json.Ids()];
            messagesBefore = [.. (await api.Get($"/v1/threads/{thread}/messages?before={deletedMessage}&order=asc")).Ok().Json.Ids()];
            Assert.Single(assistantsAfter);
            Assert.Single(messagesAfter);
        }

        using var restarted = Server();
        var again = restarted.Api();

        Assert.Equal(assistantsAfter, (await again.Get($"/v1/assistants?after={deletedAssistant}")).Ok().Json.Ids());
        Assert.Equal(assistantsBefore, (await again.Get($"/v1/assistants?before={deletedAssistant}")).Ok().Json.Ids());
        Assert.Equal(messagesAfter, (await again.Get($"/v1/threads/{thread}/messages?after={deletedMessage}&order=asc")).Ok().Json.Ids());
        Assert.Equal(messagesBefore, (await again.Get($"/v1/threads/{thread}/messages?before={deletedMessage}&order=asc")).Ok().Json.Ids());
    }

    [Fact]
    public async Task A_state_saved_after_deleting_the_message_a_run_was_writing_loads_and_the_run_carries_on()
    {
        var (thread, run) = await SaveARunWhoseMessageWasDeleted();

        using var second = Server();
        var again = second.Api();
        Assert.Equal("in_progress", (await again.GetRun(thread, run)).Status());
        await again.Advance(5);

        await AssertCompletedCountingTheDeletedReply(again, thread, run);
    }

    /// <summary>A run that was writing its message when a client deleted it, saved by a server that then stopped.</summary>
    private async Task<(string Thread, string Run)> SaveARunWhoseMessageWasDeleted()
    {
        using var first = Server();
        var api = first.Api();
        var (_, thread, run) = await api.StartRun();
        await api.Advance(1);
        var writing = (await api.Get($"/v1/threads/{thread}/messages?run_id={run}")).Ok().Json.Ids().Single();
        (await api.Delete($"/v1/threads/{thread}/messages/{writing}")).Ok();
        return (thread, run);
    }

    /// <summary>The run completed, and the reply it wrote into the deleted message still counts, as it would have without the restart.</summary>
    private static async Task AssertCompletedCountingTheDeletedReply(ApiClient api, string thread, string run)
    {
        var done = await api.GetRun(thread, run);
        Assert.Equal("completed", done.Status());
        Assert.True(done.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        Assert.Empty((await api.Get($"/v1/threads/{thread}/messages?run_id={run}")).Ok().Json.Ids());
    }

    [Fact]
    public async Task A_state_saved_by_an_earlier_build_without_the_deleted_message_s_id_loads_and_still_counts_the_reply()
    {
        var (thread, run) = await SaveARunWhoseMessageWasDeleted();
        // Builds that kept the text beside the message saved such a run with a null current_message_id.
        var state = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(StatePath))!;
        var saved = state["threads"]!.AsArray().Select(entry => entry!["runs"]!.AsArray().Single()!).Single(entry => entry["run"]!["id"]!.GetValue<string>() == run);
        Assert.False(string.IsNullOrEmpty(saved["pending_text"]!.GetValue<string>()));
        saved["current_message_id"] = null;
        var earlierPath = Path.Combine(directory, "earlier.json");
        File.WriteAllText(earlierPath, state.ToJsonString());

        using var second = MockServerFactory.With(("Mock:Persistence:Path", earlierPath));
        var again = second.Api();
        await again.Advance(5);

        await AssertCompletedCountingTheDeletedReply(again, thread, run);
    }

    [Fact]
    public async Task Messages_read_back_from_the_file_keep_their_text_outside_content_parts_and_read_as_before()
    {
        string thread, listed;
        using (var first = Server())
        {
            var api = first.Api();
            thread = (await api.Post("/v1/threads", new { messages = new[] { new { role = "user", content = "Hello 🙂 there" } } })).Ok().Id;
            var assistant = await api.CreateAssistant();
            (await api.CreateRun(thread, new { assistant_id = assistant })).Ok();
            await api.Advance(60);
            listed = (await api.Get($"/v1/threads/{thread}/messages")).Ok().Text;
        }

        using var second = Server();
        var again = second.Api();

        Assert.Equal(listed, (await again.Get($"/v1/threads/{thread}/messages")).Ok().Text);
        var kept = second.Services.GetRequiredService<MockRunsServer.Store.MockStore>().GetThread(thread).Messages;
        Assert.Equal(2, kept.Count);
        Assert.All(kept.Items, message => Assert.NotNull(message.Value.WrittenLength));
    }

    [Fact]
    public async Task A_message_a_run_was_writing_goes_on_after_a_restart_from_the_text_it_showed()
    {
        const string text = "one two three four five six seven eight";
        MockServerFactory KnownText() => MockServerFactory.With(
            ("Mock:Persistence:Path", StatePath),
            ("Mock:Streaming:Chunks", "4"),
            ("Mock:Scenarios:known_text:MessageText", text));
        string thread, run, message;
        using (var first = KnownText())
        {
            var api = first.Api();
            (_, thread, run) = await api.StartRun(headers: ("X-Mock-Scenario", "known_text"));
            await api.Advance(0.5);
            await api.Advance(1);
            message = (await api.Get($"/v1/threads/{thread}/messages?run_id={run}")).Ok().Json.Ids().Single();
            Assert.Equal("one two three four five", await api.MessageText(thread, message));
        }

        using var second = KnownText();
        var again = second.Api();
        Assert.Equal("one two three four five", await again.MessageText(thread, message));
        await again.Advance(0.5);
        Assert.Equal("one two three four five six seven", await again.MessageText(thread, message));
        await again.Advance(0.5);

        Assert.Equal(text, await again.MessageText(thread, message));
        var done = await again.GetRun(thread, run);
        Assert.Equal("completed", done.Status());
        Assert.Equal((text.Length + 3) / 4, done.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    /// <summary>Changes to a state file a server saved, each of which no server could have written.</summary>
    public static TheoryData<string> Inconsistencies => new()
    {
        "a run status that is a number",
        "a run saved in another thread",
        "a message id twice",
        "an assistant id twice",
        "a thread that is null",
        "two active runs in one thread",
        "a current step the run does not have",
        "a run without its plan",
        "a run status written as a number",
        "a run in requires_action without its required_action",
        "a manual clock before 1970",
        "an active run with nothing pending",
        "a queued run waiting to finish",
        "a message whose content is null",
        "a text part whose value is a number",
        "a run whose tools are null",
        "a message status the server never writes",
        "a message role the server never writes",
        "a step status the server never writes",
        "a step id too long for the server's ids",
        "a step's message id too long for the server's ids",
        "a message id too long for the server's ids",
        "a message's run id too long for the server's ids",
        "a run id too long for the server's ids",
        "a run's current message id too long for the server's ids",
        "an ended run still writing a message",
        "an assistant id too long for the server's ids",
        "a step naming another assistant than its run",
        "a message_creation step without its message",
        "a step whose details are of the other type",
        "a step with metadata",
        "a deleted message placed before the first",
    };

    [Theory]
    [MemberData(nameof(Inconsistencies))]
    public async Task A_state_file_no_server_could_have_written_stops_start_up_and_is_left_as_it_was(string change)
    {
        using (var first = Server())
        {
            var api = first.Api();
            await api.StartRun();
            var (_, thread, _) = await api.StartRun();
            (await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = "x" })).Error(System.Net.HttpStatusCode.BadRequest);
        }
        var state = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(StatePath))!;
        var threads = state["threads"]!.AsArray();
        var run = threads[0]!["runs"]![0]!;
        switch (change)
        {
            case "a run status that is a number":
                run["run"]!["status"] = 42;
                break;
            case "a run saved in another thread":
                run["run"]!["thread_id"] = threads[1]!["thread"]!["id"]!.GetValue<string>();
                break;
            case "a message id twice":
                var messages = threads[0]!["messages"]!.AsArray();
                messages.Add(messages[0]!.DeepClone());
                break;
            case "an assistant id twice":
                var assistants = state["assistants"]!.AsArray();
                assistants.Add(assistants[0]!.DeepClone());
                break;
            case "a thread that is null":
                threads[0]!["thread"] = null;
                break;
            case "two active runs in one thread":
                threads[0]!["runs"]!.AsArray().Add(threads[1]!["runs"]![0]!.DeepClone());
                threads[0]!["runs"]![1]!["run"]!["id"] = "run_copyofanotherthreads0000";
                threads[0]!["runs"]![1]!["run"]!["thread_id"] = threads[0]!["thread"]!["id"]!.GetValue<string>();
                threads[0]!["runs"]![1]!["steps"] = new System.Text.Json.Nodes.JsonArray();
                break;
            case "a current step the run does not have":
                run["current_step_id"] = "step_nosuchstep000000000000";
                break;
            case "a run without its plan":
                run["plan"] = null;
                break;
            case "a run status written as a number":
                run["run"]!["status"] = 6;
                break;
            case "a run in requires_action without its required_action":
                run["run"]!["status"] = "requires_action";
                break;
            case "a manual clock before 1970":
                state["manual_clock_ms"] = -5;
                break;
            case "an active run with nothing pending":
                run["pending"] = null;
                run["next_due_ms"] = null;
                break;
            case "a queued run waiting to finish":
                run["pending"] = "finish";
                break;
            case "a message whose content is null":
                threads[0]!["messages"]![0]!["content"] = null;
                break;
            case "a text part whose value is a number":
                threads[0]!["messages"]![0]!["content"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"type":"text","text":{"value":5,"annotations":[]}}]""");
                break;
            case "a run whose tools are null":
                run["run"]!["tools"] = null;
                break;
            case "a deleted message placed before the first":
                threads[0]!["removed_messages"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"id":"msg_abcdefghijklmnopqrstuvwx","at":-1}]""");
                break;
            case "a message status the server never writes":
                threads[0]!["messages"]![0]!["status"] = "bogus";
                break;
            case "a message role the server never writes":
                threads[0]!["messages"]![0]!["role"] = "robot";
                break;
            case "a step status the server never writes":
                SavedStep(run)["status"] = "bogus";
                break;
            case "a step id too long for the server's ids":
                SavedStep(run)["id"] = "step_" + new string('a', 40);
                break;
            case "a step's message id too long for the server's ids":
                SavedStep(run)["step_details"]!["message_creation"]!["message_id"] = "msg_" + new string('a', 40);
                break;
            case "a message id too long for the server's ids":
                threads[0]!["messages"]![0]!["id"] = "msg_" + new string('a', 40);
                break;
            case "a message's run id too long for the server's ids":
                threads[0]!["messages"]![0]!["run_id"] = "run_" + new string('a', 40);
                break;
            case "a run id too long for the server's ids":
                run["run"]!["id"] = "run_" + new string('a', 40);
                break;
            case "a run's current message id too long for the server's ids":
                run["current_message_id"] = "msg_" + new string('a', 40);
                run["pending_text"] = "some text";
                break;
            case "an ended run still writing a message":
                run["run"]!["status"] = "completed";
                run["pending"] = null;
                run["next_due_ms"] = null;
                run["current_message_id"] = threads[0]!["messages"]![0]!["id"]!.GetValue<string>();
                break;
            case "an assistant id too long for the server's ids":
                state["assistants"]![0]!["id"] = "asst_" + new string('a', 40);
                break;
            case "a step naming another assistant than its run":
                SavedStep(run)["assistant_id"] = "asst_someotherassistant00000";
                break;
            case "a message_creation step without its message":
                SavedStep(run)["step_details"] = System.Text.Json.Nodes.JsonNode.Parse("""{"type":"message_creation"}""");
                break;
            case "a step whose details are of the other type":
                SavedStep(run)["step_details"] = System.Text.Json.Nodes.JsonNode.Parse("""{"type":"tool_calls","tool_calls":[]}""");
                break;
            case "a step with metadata":
                SavedStep(run)["metadata"] = System.Text.Json.Nodes.JsonNode.Parse("""{"k":"v"}""");
                break;
        }
        // Into another file: the first server's shutdown save may still land on its own just after the dispose.
        var edited = state.ToJsonString();
        var editedPath = Path.Combine(directory, "edited.json");
        File.WriteAllText(editedPath, edited);

        using var second = MockServerFactory.With(("Mock:Persistence:Path", editedPath));
        var error = Assert.ThrowsAny<Exception>(() => second.CreateClient());

        Assert.Contains("Mock:Persistence:Path", error.ToString());
        Assert.Contains("has not been changed", error.ToString());
        Assert.Equal(edited, File.ReadAllText(editedPath));
    }

    [Fact]
    public async Task A_step_as_the_server_writes_it_comes_back_whole_from_its_slot()
    {
        using (var first = Server())
        {
            await first.Api().StartRun();
        }
        var state = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(StatePath))!;
        var run = state["threads"]![0]!["runs"]![0]!;
        var step = SavedStep(run);
        step["usage"] = System.Text.Json.Nodes.JsonNode.Parse("""{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}""");
        File.WriteAllText(StatePath, state.ToJsonString());

        using var second = Server();
        var steps = (await second.Api().Get($"/v1/threads/{run["run"]!["thread_id"]}/runs/{run["run"]!["id"]}/steps")).Ok().Json.GetProperty("data");

        var restored = Assert.Single(steps.EnumerateArray());
        Assert.Equal("step_abcdefghijklmnopqrstuvwx", restored.Str("id"));
        Assert.Equal("completed", restored.Str("status"));
        Assert.Equal(run["run"]!["assistant_id"]!.GetValue<string>(), restored.Str("assistant_id"));
        Assert.Equal("msg_abcdefghijklmnopqrstuvwx", restored.GetProperty("step_details").GetProperty("message_creation").Str("message_id"));
        Assert.Equal(7, restored.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    /// <summary>Gives the saved run a completed message_creation step as a server writes one, to be spoiled by a case.</summary>
    private static System.Text.Json.Nodes.JsonNode SavedStep(System.Text.Json.Nodes.JsonNode run)
    {
        var step = System.Text.Json.Nodes.JsonNode.Parse("""
            {"id":"step_abcdefghijklmnopqrstuvwx","created_at":1,"type":"message_creation","status":"completed",
             "step_details":{"type":"message_creation","message_creation":{"message_id":"msg_abcdefghijklmnopqrstuvwx"}}}
            """)!;
        foreach (var field in new[] { "assistant_id", "thread_id" })
        {
            step[field] = run["run"]![field]!.GetValue<string>();
        }
        step["run_id"] = run["run"]!["id"]!.GetValue<string>();
        run["steps"] = new System.Text.Json.Nodes.JsonArray(step);
        return step;
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
        // Every server here is disposed by now, and disposing one stops its host, whose stop waits for
        // the shutdown save (StatePersistence.StopAsync): nothing still writes into the directory.
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
