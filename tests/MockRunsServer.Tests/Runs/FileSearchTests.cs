using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;
using static MockRunsServer.Tests.Infrastructure.WireAssertions;

namespace MockRunsServer.Tests.Runs;

/// <summary>A run with the file_search tool searches before it answers, as OpenAI's did: a tool_calls step of its own.</summary>
public sealed class FileSearchTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private async Task<(string Thread, string Run)> Completed(object assistant, object? thread = null, object? run = null)
    {
        var (threadId, runId) = await api.RunToEnd(assistant, thread, run, "What does the report say?");
        Assert.Equal("completed", (await api.GetRun(threadId, runId)).Status());
        return (threadId, runId);
    }

    private static JsonElement SearchCall(JsonElement step) =>
        Assert.Single(step.GetProperty("step_details").GetProperty("tool_calls").EnumerateArray());

    [Fact]
    public async Task A_run_with_file_search_and_a_vector_store_searches_in_a_step_of_its_own_before_it_answers()
    {
        var (thread, run) = await Completed(new
        {
            model = "gpt-4o",
            tools = new[] { new { type = "file_search" } },
            tool_resources = new { file_search = new { vector_store_ids = new[] { "vs_reports" } } },
        });

        var steps = await api.Steps(thread, run, "?order=asc");
        Assert.Equal(["tool_calls", "message_creation"], steps.Select(step => step.Str("type")));
        var search = steps[0];
        Assert.Equal("completed", search.Str("status"));
        Assert.True(search.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);
        var call = SearchCall(search);
        AssertId("call", call.Str("id"));
        Assert.Equal("file_search", call.Str("type"));
        // A store named only by id has no files known here: the search finds nothing.
        Assert.Equal("""{"ranking_options":{"ranker":"default_2024_08_21","score_threshold":0.0},"results":[]}""", call.GetProperty("file_search").GetRawText());
    }

    [Fact]
    public async Task Files_attached_for_file_search_are_found_each_scored_at_or_above_the_threshold_best_first()
    {
        var attachments = new[] { "file-alpha", "file-beta" }.Select(id => new { file_id = id, tools = new[] { new { type = "file_search" } } }).ToArray();
        var (thread, run) = await Completed(
            new { model = "gpt-4o", tools = new object[] { new { type = "file_search", file_search = new { ranking_options = new { score_threshold = 0.5 } } } } },
            new { messages = new[] { new { role = "user", content = "Compare these.", attachments } } });

        var call = SearchCall((await api.Steps(thread, run, "?order=asc"))[0]);
        var results = call.GetProperty("file_search").GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["file-alpha", "file-beta"], results.Select(result => result.Str("file_id")).Order());
        var scores = results.Select(result => result.GetProperty("score").GetDouble()).ToList();
        Assert.All(scores, score => Assert.InRange(score, 0.5, 1.0));
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(results, result =>
        {
            Assert.Equal(result.Str("file_id") + ".txt", result.Str("file_name"));
            Assert.Equal("{}", result.GetProperty("attributes").GetRawText());
        });
    }

    private const string IncludeContent = "?include[]=step_details.tool_calls%5B%2A%5D.file_search.results%5B%2A%5D.content";

    private static List<JsonElement> Results(JsonElement step) =>
        SearchCall(step).GetProperty("file_search").GetProperty("results").EnumerateArray().ToList();

    [SpecFact]
    public async Task With_include_each_result_read_carries_the_text_found_as_one_text_part_after_its_attributes()
    {
        var (thread, run) = await Completed(Librarian, AttachedFor("Compare these.", "file-alpha", "file-beta"));
        var listed = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps{IncludeContent}&order=asc")).Ok();
        OpenApiSchemas.AssertMatchesSchema("ListRunStepsResponse", listed.Json);
        var step = listed.Json.GetProperty("data")[0];
        var retrieved = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps/{step.Str("id")}{IncludeContent}")).Ok().Json;

        Assert.Equal(step.GetRawText(), retrieved.GetRawText());
        var results = Results(step);
        Assert.Equal(2, results.Count);
        Assert.All(results, result =>
        {
            Assert.Equal(["file_id", "file_name", "score", "attributes", "content"], result.EnumerateObject().Select(field => field.Name));
            var part = Assert.Single(result.GetProperty("content").EnumerateArray());
            Assert.Equal(["type", "text"], part.EnumerateObject().Select(field => field.Name));
            Assert.Equal("text", part.Str("type"));
            Assert.InRange(part.Str("text").Split(' ').Length, 40, 120);
        });
        Assert.NotEqual(results[0].GetProperty("content")[0].Str("text"), results[1].GetProperty("content")[0].Str("text"));
    }

    [Fact]
    public async Task Without_include_a_result_has_no_content_key_at_all()
    {
        var (thread, run) = await Completed(Librarian, AttachedFor("Summarise it.", "file-alpha"));
        var step = (await api.Steps(thread, run, "?order=asc"))[0];
        var retrieved = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps/{step.Str("id")}")).Ok().Json;

        Assert.Equal(["file_id", "file_name", "score", "attributes"], Assert.Single(Results(step)).EnumerateObject().Select(field => field.Name));
        Assert.Equal(step.GetRawText(), retrieved.GetRawText());
    }

    [Fact]
    public async Task A_file_found_again_in_another_run_shows_the_same_text()
    {
        async Task<string> TextFound()
        {
            var (thread, run) = await Completed(Librarian, AttachedFor("Summarise it.", "file-gamma"));
            var step = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps{IncludeContent}&order=asc")).Ok().Json.GetProperty("data")[0];
            return Assert.Single(Results(step)).GetProperty("content")[0].Str("text");
        }

        Assert.Equal(await TextFound(), await TextFound());
    }

    private static object AttachedFor(string text, params string[] files) => new
    {
        messages = new[] { new { role = "user", content = text, attachments = files.Select(id => new { file_id = id, tools = new[] { new { type = "file_search" } } }).ToArray() } },
    };

    private static readonly object Librarian = new { model = "gpt-4o", tools = new[] { new { type = "file_search" } } };

    private async Task<JsonElement> Reply(string thread) =>
        (await api.Get($"/v1/threads/{thread}/messages?limit=1")).Ok().Json.GetProperty("data")[0].GetProperty("content")[0].GetProperty("text");

    [Fact]
    public async Task The_answer_to_a_search_that_found_files_cites_the_best_one_where_its_marker_stands()
    {
        var (thread, run) = await Completed(Librarian, AttachedFor("Summarise it.", "file-alpha"));

        var text = await Reply(thread);
        var value = text.Str("value");
        var citation = Assert.Single(text.GetProperty("annotations").EnumerateArray());
        Assert.Equal("file_citation", citation.Str("type"));
        Assert.Equal("【4:0†file-alpha.txt】", citation.Str("text"));
        Assert.Equal(value.IndexOf(citation.Str("text"), StringComparison.Ordinal), citation.GetProperty("start_index").GetInt32());
        Assert.Equal(citation.GetProperty("start_index").GetInt32() + citation.Str("text").Length, citation.GetProperty("end_index").GetInt32());
        Assert.Equal("""{"file_id":"file-alpha"}""", citation.GetProperty("file_citation").GetRawText());
    }

    [Fact]
    public async Task A_search_that_found_nothing_cites_nothing()
    {
        var (thread, _) = await Completed(new
        {
            model = "gpt-4o",
            tools = new[] { new { type = "file_search" } },
            tool_resources = new { file_search = new { vector_store_ids = new[] { "vs_reports" } } },
        });

        var text = await Reply(thread);
        Assert.Equal("[]", text.GetProperty("annotations").GetRawText());
        Assert.DoesNotContain("†", text.Str("value"));
    }

    [Fact]
    public async Task A_reply_that_must_be_json_carries_no_citation()
    {
        var (thread, _) = await Completed(Librarian, AttachedFor("As JSON, please.", "file-alpha"), new { response_format = new { type = "json_object" } });

        var text = await Reply(thread);
        Assert.Equal("[]", text.GetProperty("annotations").GetRawText());
        JsonDocument.Parse(text.Str("value")).Dispose();
    }

    [Fact]
    public async Task Files_given_to_a_store_the_vector_stores_helper_made_are_found_once_per_store_that_holds_them()
    {
        var assistant = new
        {
            model = "gpt-4o",
            tools = new[] { new { type = "file_search" } },
            tool_resources = new { file_search = new { vector_stores = new[] { new { file_ids = new[] { "file-foods" } } } } },
        };
        var thread = new
        {
            messages = new[] { new { role = "user", content = "What is Filip's favourite food?" } },
            tool_resources = new { file_search = new { vector_stores = new[] { new { file_ids = new[] { "file-foods", "file-drinks" } } } } },
        };
        var (threadId, run) = await Completed(assistant, thread);

        var results = SearchCall((await api.Steps(threadId, run, "?order=asc"))[0]).GetProperty("file_search").GetProperty("results").EnumerateArray();
        Assert.Equal(["file-drinks", "file-foods", "file-foods"], results.Select(result => result.Str("file_id")).Order());
    }

    [Fact]
    public async Task A_citation_counts_its_indexes_in_characters_not_utf16_units()
    {
        var (thread, _) = await Completed(Librarian, AttachedFor("Summarise it.", "file-\U0001F600"));

        var text = await Reply(thread);
        var citation = Assert.Single(text.GetProperty("annotations").EnumerateArray());
        var marker = citation.Str("text");
        Assert.Equal(marker.Length - 1, citation.GetProperty("end_index").GetInt32() - citation.GetProperty("start_index").GetInt32());
    }

    [Fact]
    public async Task A_scenarios_scripted_text_is_answered_word_for_word_without_a_citation()
    {
        using var server = MockServerFactory.With(("Mock:Scenarios:scripted:MessageText", "Exactly this. Nothing more."));
        var client = server.Api();
        var assistant = await client.CreateAssistant(Librarian);
        var thread = await client.CreateThread(AttachedFor("Summarise it.", "file-alpha"));
        var run = (await client.CreateRun(thread, new { assistant_id = assistant }, ("X-Mock-Scenario", "scripted"))).Ok().Id;
        await client.Advance(3);

        Assert.Equal(["tool_calls", "message_creation"], (await client.Steps(thread, run, "?order=asc")).Select(step => step.Str("type")));
        var text = (await client.Get($"/v1/threads/{thread}/messages?limit=1")).Ok().Json.GetProperty("data")[0].GetProperty("content")[0].GetProperty("text");
        Assert.Equal("Exactly this. Nothing more.", text.Str("value"));
        Assert.Equal("[]", text.GetProperty("annotations").GetRawText());
    }

    [Fact]
    public async Task A_reply_cancelled_before_its_marker_carries_no_citation()
    {
        // A server of its own, so the seeded reply is always the same: its first piece (shown a
        // second in) ends before the first sentence's marker. Cancelled any earlier, the reply
        // would have no text at all, and so no citation whatever the server did with it.
        using var server = MockServerFactory.With();
        var client = server.Api();
        var assistant = await client.CreateAssistant(Librarian);
        var thread = await client.CreateThread(AttachedFor("Summarise it.", "file-alpha"));
        var run = (await client.CreateRun(thread, new { assistant_id = assistant }, ("X-Mock-Scenario", "complete"))).Ok().Id;
        await client.Advance(1);
        (await client.Post($"/v1/threads/{thread}/runs/{run}/cancel")).Ok();
        await client.Advance(3);

        Assert.Equal("cancelled", (await client.GetRun(thread, run)).Status());
        var text = Assert.Single((await client.Get($"/v1/threads/{thread}/messages?limit=1")).Ok().Json.GetProperty("data")[0].GetProperty("content").EnumerateArray()).GetProperty("text");
        Assert.NotEmpty(text.Str("value"));
        Assert.DoesNotContain("【", text.Str("value"), StringComparison.Ordinal);
        Assert.Equal("[]", text.GetProperty("annotations").GetRawText());
    }

    [Fact]
    public async Task A_search_leaves_the_answer_room_in_max_prompt_tokens_so_auto_truncation_still_completes_the_run()
    {
        var assistant = await api.CreateAssistant(Librarian);
        var thread = await api.CreateThread(new
        {
            messages = new object[]
            {
                new { role = "user", content = new string('a', 400) },
                new { role = "user", content = new string('b', 400), attachments = new[] { new { file_id = "file-alpha", tools = new[] { new { type = "file_search" } } } } },
            },
        });
        var run = (await api.CreateRun(thread, new { assistant_id = assistant, max_prompt_tokens = 256 }, ("X-Mock-Scenario", "complete"))).Ok().Id;
        await api.Advance(3);

        var body = await api.GetRun(thread, run);
        Assert.Equal("completed", body.Status());
        Assert.InRange(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), 1, 256);
        Assert.Equal(["tool_calls", "message_creation"], (await api.Steps(thread, run, "?order=asc")).Select(step => step.Str("type")));
    }

    [Fact]
    public async Task Max_num_results_caps_what_the_search_finds()
    {
        var attachments = new[] { "file-1", "file-2", "file-3" }.Select(id => new { file_id = id, tools = new[] { new { type = "file_search" } } }).ToArray();
        var (thread, run) = await Completed(
            new { model = "gpt-4o", tools = new object[] { new { type = "file_search", file_search = new { max_num_results = 2 } } } },
            new { messages = new[] { new { role = "user", content = "Look.", attachments } } });

        var call = SearchCall((await api.Steps(thread, run, "?order=asc"))[0]);
        Assert.Equal(2, call.GetProperty("file_search").GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task A_run_with_nothing_to_search_answers_without_searching()
    {
        var (thread, run) = await Completed(new { model = "gpt-4o", tools = new[] { new { type = "file_search" } } });

        Assert.Equal(["message_creation"], (await api.Steps(thread, run)).Select(step => step.Str("type")));
    }

    [Theory]
    [InlineData("required")]
    [InlineData("file_search")]
    public async Task A_tool_choice_that_forces_a_search_makes_the_run_search_with_nothing_to_search(string choice)
    {
        object toolChoice = choice == "required" ? "required" : new { type = "file_search" };
        var (thread, run) = await Completed(new { model = "gpt-4o", tools = new[] { new { type = "file_search" } } }, run: new { tool_choice = toolChoice });

        var steps = await api.Steps(thread, run, "?order=asc");
        Assert.Equal(["tool_calls", "message_creation"], steps.Select(step => step.Str("type")));
        Assert.Equal("[]", SearchCall(steps[0]).GetProperty("file_search").GetProperty("results").GetRawText());
    }

    [Fact]
    public async Task A_search_that_max_completion_tokens_has_no_room_for_is_never_made()
    {
        var assistant = await api.CreateAssistant(new
        {
            model = "gpt-4o",
            tools = new object[]
            {
                new { type = "file_search" },
                new { type = "function", function = new { name = "write", parameters = new { type = "object", properties = new { text = new { type = "string", minLength = 1000, maxLength = 1000 } }, required = new[] { "text" } } } },
            },
            tool_resources = new { file_search = new { vector_stores = new[] { new { file_ids = new[] { "file-alpha" } } } } },
        });
        var thread = await api.CreateThread(new { messages = new[] { new { role = "user", content = new string('q', 200) } } });
        var run = (await api.CreateRun(thread, new { assistant_id = assistant, max_completion_tokens = 256 }, ("X-Mock-Scenario", "tool_call"))).Ok().Id;
        await api.Advance(3);
        var outputs = (await api.GetRun(thread, run)).GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls").EnumerateArray()
            .Select(call => new { tool_call_id = call.Str("id"), output = "done" }).ToArray();
        (await api.Post($"/v1/threads/{thread}/runs/{run}/submit_tool_outputs", new { tool_outputs = outputs })).Ok();
        await api.Advance(3);

        var steps = await api.Steps(thread, run);
        Assert.DoesNotContain(steps, step => step.GetProperty("step_details").TryGetProperty("tool_calls", out var calls)
            && calls.EnumerateArray().Any(call => call.Str("type") == "file_search"));
        Assert.InRange((await api.GetRun(thread, run)).GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 1, 256);
    }

    [Fact]
    public async Task Tool_choice_none_never_searches()
    {
        var (thread, run) = await Completed(
            new { model = "gpt-4o", tools = new[] { new { type = "file_search" } }, tool_resources = new { file_search = new { vector_store_ids = new[] { "vs_1" } } } },
            run: new { tool_choice = "none" });

        Assert.Equal(["message_creation"], (await api.Steps(thread, run)).Select(step => step.Str("type")));
    }

    [Fact]
    public async Task The_runs_usage_adds_the_searchs_call_to_the_answers()
    {
        var (thread, run) = await Completed(new
        {
            model = "gpt-4o",
            tools = new[] { new { type = "file_search" } },
            tool_resources = new { file_search = new { vector_store_ids = new[] { "vs_reports" } } },
        });

        var usage = (await api.GetRun(thread, run)).GetProperty("usage");
        var steps = await api.Steps(thread, run);
        Assert.Equal(steps.Sum(step => step.GetProperty("usage").GetProperty("total_tokens").GetInt32()), usage.GetProperty("total_tokens").GetInt32());
    }
}
