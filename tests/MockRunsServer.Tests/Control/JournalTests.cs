using System.Net;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Tests.Streaming;

namespace MockRunsServer.Tests.Control;

/// <summary><c>GET /_mock/requests</c>: the journal of recent requests, newest first, with filters; <c>DELETE</c> clears it.</summary>
public sealed class JournalTests(JournalTests.Server server) : IClassFixture<JournalTests.Server>, IAsyncLifetime
{
    /// <summary>Bodies over 64 bytes are not kept.</summary>
    public sealed class Server() : MockServerFactory(new Dictionary<string, string?> { ["Mock:Journal:MaxBodyBytes"] = "64" });

    private readonly ApiClient api = server.Api();

    /// <summary>Each test starts from an empty journal.</summary>
    public async Task InitializeAsync() => (await api.Delete("/_mock/requests")).Ok();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Entries_come_newest_first()
    {
        await api.Get("/v1/assistants?limit=1");
        await api.Get("/v1/assistants?limit=2");
        await api.Get("/v1/assistants?limit=3");

        var entries = await Entries();

        Assert.Equal(["limit=3", "limit=2", "limit=1"], entries.Select(entry => entry.Str("query")));
    }

    [Fact]
    public async Task Order_asc_gives_oldest_first()
    {
        await api.Get("/v1/assistants?limit=1");
        await api.Get("/v1/assistants?limit=2");

        var entries = await Entries("order=asc");

        Assert.Equal(["limit=1", "limit=2"], entries.Select(entry => entry.Str("query")));
    }

    [Fact]
    public async Task An_entry_records_method_path_status_time_duration_and_request_id()
    {
        var response = await api.Get("/v1/threads/thread_missing");

        var entry = Assert.Single(await Entries());

        Assert.Equal("mock.request", entry.Str("object"));
        Assert.Equal("GET", entry.Str("method"));
        Assert.Equal("/v1/threads/thread_missing", entry.Str("path"));
        Assert.True(entry.IsNull("query"));
        Assert.Equal(404, entry.GetProperty("status").GetInt32());
        Assert.Equal(response.Header("x-request-id"), entry.Str("request_id"));
        Assert.Equal(MockServerFactory.Start, entry.GetProperty("at").GetDouble(), 0.001);
        Assert.True(entry.GetProperty("duration_ms").GetDouble() >= 0);
        Assert.Equal("thread_missing", entry.Str("thread_id"));
        Assert.True(entry.IsNull("run_id"));
        Assert.True(entry.IsNull("fault"));
    }

    [Fact]
    public async Task An_SDK_retry_count_header_is_recorded()
    {
        await api.Get("/v1/assistants", ("X-Stainless-Retry-Count", "2"));
        await api.Get("/v1/assistants");

        var entries = await Entries();

        Assert.True(entries[0].IsNull("retry_count"));
        Assert.Equal(2, entries[1].GetProperty("retry_count").GetInt32());
    }

    [Fact]
    public async Task A_run_creation_records_its_run_thread_and_scenario()
    {
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread();
        var run = (await api.CreateRun(thread, new { assistant_id = assistant }, ("X-Mock-Scenario", "fail"))).Ok().Id;

        var entry = (await Entries("method=POST&path=/v1/threads/thread_"))[0];

        Assert.Equal(run, entry.Str("run_id"));
        Assert.Equal(thread, entry.Str("thread_id"));
        Assert.Equal("fail", entry.Str("scenario"));
    }

    [Fact]
    public async Task Requests_on_a_run_record_its_run_id()
    {
        var (_, thread, run) = await api.StartRun();

        await api.GetRun(thread, run);

        var entry = (await Entries("method=GET"))[0];
        Assert.Equal(run, entry.Str("run_id"));
        Assert.Equal(thread, entry.Str("thread_id"));
    }

    [Fact]
    public async Task A_JSON_body_within_the_cap_is_kept_as_JSON()
    {
        await api.Post("/v1/assistants", new { model = "gpt-4o", name = "Kept" });

        var entry = Assert.Single(await Entries());

        var body = entry.GetProperty("body");
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.Equal("Kept", body.Str("name"));
        Assert.False(entry.GetProperty("body_truncated").GetBoolean());
    }

    [Fact]
    public async Task A_body_over_the_cap_is_left_out_and_marked_truncated()
    {
        await api.Post("/v1/assistants", new { model = "gpt-4o", name = new string('x', 80) });

        var entry = Assert.Single(await Entries());

        Assert.True(entry.IsNull("body"));
        Assert.True(entry.GetProperty("body_truncated").GetBoolean());
        Assert.Equal(200, entry.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_body_sent_without_a_length_is_kept_or_marked_truncated_by_what_arrived()
    {
        using var kestrel = KestrelMockServer.With(("Mock:Journal:MaxBodyBytes", "64"));
        var api = kestrel.Api();

        (await UnlengthedContent.PostAsync(api, "/v1/threads", """{"metadata":{"k":"short"}}""")).Ok();
        (await UnlengthedContent.PostAsync(api, "/v1/threads", $$$"""{"metadata":{"k":"{{{new string('x', 100)}}}"}}""")).Ok();

        var entries = (await api.Get("/_mock/requests?order=asc")).Ok().Json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal("short", entries[0].GetProperty("body").GetProperty("metadata").Str("k"));
        Assert.False(entries[0].GetProperty("body_truncated").GetBoolean());
        Assert.True(entries[1].IsNull("body"));
        Assert.True(entries[1].GetProperty("body_truncated").GetBoolean());
    }

    [Fact]
    public async Task A_refused_long_url_is_journaled_with_its_path_and_query_cut_short()
    {
        var path = "/v1/threads/thread_" + new string('a', 40_000);

        (await api.Get(path + "?q=" + new string('b', 40_000))).Error(HttpStatusCode.RequestUriTooLong);

        var entry = (await Entries()).Single();
        var limit = MockRunsServer.Http.JournalMiddleware.Recorder.MaxTextLength;
        Assert.Equal(path[..limit] + "…", entry.Str("path"));
        Assert.Equal(("q=" + new string('b', 40_000))[..limit] + "…", entry.Str("query"));
        Assert.Equal(414, entry.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_kept_as_text()
    {
        await api.Post("/v1/threads", "{not json");

        var entry = Assert.Single(await Entries());

        Assert.Equal("{not json", entry.GetProperty("body").GetString());
        Assert.Equal(400, entry.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_body_with_an_escaped_lone_surrogate_is_kept_as_text_and_the_journal_still_answers()
    {
        const string body = """{"name":"\ud800"}""";
        (await api.Post("/v1/threads", body)).Error(HttpStatusCode.BadRequest);

        var entry = Assert.Single(await Entries());

        Assert.Equal(body, entry.GetProperty("body").GetString());
        (await api.Get("/_mock/requests?status=4xx")).Ok();
    }

    [Fact]
    public async Task The_path_filter_keeps_the_entries_whose_path_starts_with_it()
    {
        await api.Get("/v1/assistants");
        await api.Get("/v1/threads/thread_a");
        await api.Get("/threads/thread_b");

        var entries = await Entries("path=/v1/threads");

        Assert.Equal(["/v1/threads/thread_a"], entries.Select(entry => entry.Str("path")));
    }

    [Fact]
    public async Task A_path_filter_without_its_leading_slash_matches_as_if_it_had_one()
    {
        await api.Get("/v1/assistants");
        await api.Get("/v1/threads/thread_a");

        var entries = await Entries("path=v1/threads");

        Assert.Equal(["/v1/threads/thread_a"], entries.Select(entry => entry.Str("path")));
    }

    [Fact]
    public async Task The_method_filter_matches_the_method_in_any_case()
    {
        await api.Get("/v1/assistants");
        await api.Post("/v1/threads", new { });

        var entries = await Entries("method=post");

        Assert.Equal(["POST"], entries.Select(entry => entry.Str("method")));
    }

    [Fact]
    public async Task The_status_filter_takes_an_exact_status_or_a_status_class()
    {
        await api.Get("/v1/assistants");
        await api.Get("/v1/threads/thread_nope");
        await api.Post("/v1/threads", "{bad");

        Assert.Equal([404], (await Entries("status=404")).Select(entry => entry.GetProperty("status").GetInt32()));
        Assert.Equal([400, 404], (await Entries("status=4xx")).Select(entry => entry.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task Limit_keeps_the_newest_entries()
    {
        for (var i = 1; i <= 4; i++)
        {
            await api.Get($"/v1/assistants?limit={i}");
        }

        var entries = await Entries("limit=2");

        Assert.Equal(["limit=4", "limit=3"], entries.Select(entry => entry.Str("query")));
    }

    [Theory]
    [InlineData("status=abc", "status")]
    [InlineData("status=6xx", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("order=up", "order")]
    public async Task A_bad_filter_is_a_400_naming_it(string query, string param)
    {
        var error = (await api.Get($"/_mock/requests?{query}")).Error(HttpStatusCode.BadRequest);

        Assert.Equal(param, error.Str("param"));
    }

    [Fact]
    public async Task Faulted_requests_are_recorded_with_their_fault()
    {
        await api.Get("/v1/assistants", ("X-Mock-Fault", "503"));

        var entry = Assert.Single(await Entries());

        Assert.Equal("503", entry.Str("fault"));
        Assert.Equal(503, entry.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task The_control_API_health_and_swagger_are_not_recorded()
    {
        await api.Get("/_mock/clock");
        await api.Get("/healthz");
        await api.Get("/swagger/v1/swagger.json");

        Assert.Empty(await Entries());
    }

    [Fact]
    public async Task Unknown_paths_are_recorded()
    {
        await api.Get("/v2/nothing-here");

        var entry = Assert.Single(await Entries());
        Assert.Equal(404, entry.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Clearing_forgets_every_entry_and_says_how_many()
    {
        await api.Get("/v1/assistants");
        await api.Get("/v1/assistants");

        var cleared = (await api.Delete("/_mock/requests")).Ok().Json;

        Assert.Equal(2, cleared.GetProperty("removed").GetInt32());
        Assert.Empty(await Entries());
        await api.Get("/v1/assistants");
        Assert.Single(await Entries());
    }

    [Fact]
    public async Task Reset_clears_the_journal()
    {
        await api.Get("/v1/assistants");

        (await api.Post("/_mock/reset")).Ok();

        Assert.Empty(await Entries());
    }

    [Fact]
    public async Task After_a_reset_the_journal_numbers_requests_from_one_again()
    {
        await api.Get("/v1/assistants");
        await api.Get("/v1/assistants");

        (await api.Post("/_mock/reset")).Ok();
        await api.Get("/v1/assistants");

        Assert.Equal(1, Assert.Single(await Entries()).GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_request_still_running_at_a_reset_is_not_journaled_after_it()
    {
        var assistant = await api.CreateAssistant();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/threads/runs")
        {
            Content = new StringContent($$"""{"assistant_id":"{{assistant}}","stream":true}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("OpenAI-Beta", "assistants=v2");
        using var stream = await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        (await api.Post("/_mock/reset")).Ok();
        var events = await stream.Content.ReadAsStringAsync();

        Assert.Contains("[DONE]", events);
        // Two requests after it: by the time they are journaled, the stream's request has long finished.
        await api.Get("/v1/assistants?limit=1");
        await api.Get("/v1/assistants?limit=2");

        var entries = await Entries("order=asc");
        Assert.Equal(["limit=1", "limit=2"], entries.Select(entry => entry.Str("query")));
        Assert.Equal([1L, 2L], entries.Select(entry => entry.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task Streams_that_end_in_the_same_advance_are_journaled_in_the_order_their_runs_ended()
    {
        // Over real sockets, where each stream's writer gets to its [DONE] on a thread of its own.
        using var kestrel = new KestrelMockServer();
        var client = kestrel.Api();
        var assistant = await client.CreateAssistant();
        for (var round = 0; round < 5; round++)
        {
            (await client.Delete("/_mock/requests")).Ok();
            var streams = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
                EventStream.Open(client, "/v1/threads/runs", new { assistant_id = assistant, stream = true }, ("X-Mock-Scenario", "complete"))));
            await Task.WhenAll(streams.Select(stream => stream.ReadUntil("thread.run.created")));

            var fired = (await client.Post("/_mock/clock/advance", new { seconds = 5 })).Ok().Json.GetProperty("fired").EnumerateArray()
                .Where(move => move.Str("to") == "completed").Select(move => move.Str("run_id")).ToList();
            await Task.WhenAll(streams.Select(stream => stream.ReadToEnd()));
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }

            // Journaled in the order the runs ended, whichever writer finished first.
            var journaled = (await client.Get("/_mock/requests?order=asc")).Ok().Json.GetProperty("data").EnumerateArray()
                .Where(entry => entry.Str("path") == "/v1/threads/runs").Select(entry => entry.Str("run_id")).ToList();
            Assert.Equal(fired, journaled);
        }
    }

    [Fact]
    public async Task A_stream_whose_run_ends_at_once_is_journaled_with_its_run_thread_and_scenario()
    {
        // The run is noted before it can move: the engine journals its stream as soon as it ends.
        using var instant = MockServerFactory.With(("Mock:Clock:Mode", "real"), ("Mock:Timings:Queued", "00:00:00"), ("Mock:Timings:InProgress", "00:00:00"));
        var client = instant.Api();
        var assistant = await client.CreateAssistant();

        await using var stream = await EventStream.Open(client, "/v1/threads/runs", new { assistant_id = assistant, stream = true }, ("X-Mock-Scenario", "complete"));
        var run = (await stream.ReadToEnd()).Named("thread.run.completed").Single().Json();

        var entry = (await client.Get("/_mock/requests?path=/v1/threads/runs")).Ok().Json.GetProperty("data")[0];
        Assert.Equal(run.Str("id"), entry.Str("run_id"));
        Assert.Equal(run.Str("thread_id"), entry.Str("thread_id"));
        Assert.Equal("complete", entry.Str("scenario"));
    }

    [Fact]
    public async Task A_refused_streamed_create_is_journaled_with_its_400()
    {
        var (assistant, thread, _) = await api.StartRun();

        using var refused = await EventStream.Send(api, $"/v1/threads/{thread}/runs", new { assistant_id = assistant, stream = true });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var entry = (await Entries($"path=/v1/threads/{thread}/runs&method=POST")).First();
        Assert.Equal(400, entry.GetProperty("status").GetInt32());
    }

    private async Task<List<JsonElement>> Entries(string query = "")
    {
        var list = (await api.Get($"/_mock/requests?{query}")).Ok().Json;
        Assert.Equal("list", list.Str("object"));
        var data = list.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(data.Count, list.GetProperty("count").GetInt32());
        return data;
    }
}
