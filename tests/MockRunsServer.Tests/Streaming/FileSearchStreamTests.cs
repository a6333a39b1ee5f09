using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>A run that searches files streams its search step as the live API did, before the answer's.</summary>
public sealed class FileSearchStreamTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [SpecFact]
    public async Task The_delta_that_completes_a_citation_carries_it_and_the_deltas_add_up_to_the_stored_reply()
    {
        var assistant = await api.CreateAssistant(new { model = "gpt-4o", tools = new[] { new { type = "file_search" } } });
        var thread = await api.CreateThread(new
        {
            messages = new[] { new { role = "user", content = "Summarise it.", attachments = new[] { new { file_id = "file-alpha", tools = new[] { new { type = "file_search" } } } } } },
        });
        await using var stream = await api.StreamToEnd(assistant, thread);

        OpenApiSchemas.AssertMatchesEventStream(stream.Raw);
        var message = stream.Events.Single("thread.message.completed");
        var stored = message.GetProperty("content")[0].GetProperty("text");
        Assert.Equal(stored.Str("value"), stream.Events.DeltaText());
        var texts = stream.Events.Named("thread.message.delta").Select(e => e.Json().GetProperty("delta").GetProperty("content")[0].GetProperty("text")).ToList();
        Assert.Equal("[]", texts[0].GetProperty("annotations").GetRawText());
        var citing = Assert.Single(texts, text => text.TryGetProperty("annotations", out var list) && list.GetArrayLength() > 0);
        var annotation = Assert.Single(citing.GetProperty("annotations").EnumerateArray());
        // The marker comes as a delta of its own, as the live API streamed it.
        Assert.Equal(annotation.Str("text"), citing.Str("value"));
        Assert.Equal(0, annotation.GetProperty("index").GetInt32());
        Assert.Equal("file_citation", annotation.Str("type"));
        Assert.Equal("""{"file_id":"file-alpha","quote":""}""", annotation.GetProperty("file_citation").GetRawText());
        var kept = Assert.Single(stored.GetProperty("annotations").EnumerateArray());
        Assert.Equal(kept.GetProperty("start_index").GetInt32(), annotation.GetProperty("start_index").GetInt32());
        Assert.Equal(kept.GetProperty("end_index").GetInt32(), annotation.GetProperty("end_index").GetInt32());
    }

    [SpecFact]
    public async Task The_search_step_streams_created_in_progress_one_delta_and_completed_before_the_answer_and_every_payload_fits_the_spec()
    {
        var assistant = await api.CreateAssistant(new
        {
            model = "gpt-4o",
            tools = new[] { new { type = "file_search" } },
            tool_resources = new { file_search = new { vector_store_ids = new[] { "vs_reports" } } },
        });
        await using var stream = await api.StreamToEnd(assistant);

        OpenApiSchemas.AssertMatchesEventStream(stream.Raw);
        Assert.Equal(
            StreamingApi.Sequence(
                StreamingApi.Start,
                StreamingApi.BuiltInStep,
                StreamingApi.MessageCreation,
                ["thread.run.completed", "done"]),
            stream.Events.Squashed());

        var created = stream.Events.Named("thread.run.step.created").First().Json();
        Assert.Equal("tool_calls", created.Str("type"));
        Assert.Equal("[]", created.GetProperty("step_details").GetProperty("tool_calls").GetRawText());
        var delta = Assert.Single(stream.Events.Named("thread.run.step.delta")).Json();
        var call = Assert.Single(delta.GetProperty("delta").GetProperty("step_details").GetProperty("tool_calls").EnumerateArray());
        Assert.Equal(0, call.GetProperty("index").GetInt32());
        Assert.Equal("file_search", call.Str("type"));
        Assert.Equal("[]", call.GetProperty("file_search").GetProperty("results").GetRawText());
        var completed = stream.Events.Named("thread.run.step.completed").First().Json();
        Assert.Equal(call.Str("id"), completed.GetProperty("step_details").GetProperty("tool_calls")[0].Str("id"));
        // The run goes on, so the completed step still shows the run's expiry.
        Assert.False(completed.IsNull("expires_at"));
    }

    [SpecFact]
    public async Task A_stream_created_with_include_sends_each_result_with_its_text_in_the_completed_step_and_none_in_the_delta()
    {
        var assistant = await api.CreateAssistant(new { model = "gpt-4o", tools = new[] { new { type = "file_search" } } });
        var thread = await api.CreateThread(new
        {
            messages = new[] { new { role = "user", content = "Summarise it.", attachments = new[] { new { file_id = "file-alpha", tools = new[] { new { type = "file_search" } } } } } },
        });
        var include = "?include[]=" + Uri.EscapeDataString("step_details.tool_calls[*].file_search.results[*].content");
        await using var stream = await EventStream.Open(api, $"/v1/threads/{thread}/runs{include}", new { assistant_id = assistant, stream = true }, StreamingApi.Scenario("complete"));
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();

        OpenApiSchemas.AssertMatchesEventStream(stream.Raw);
        var delta = Assert.Single(stream.Events.Named("thread.run.step.delta")).Json();
        Assert.Equal("[]", delta.GetProperty("delta").GetProperty("step_details").GetProperty("tool_calls")[0].GetProperty("file_search").GetProperty("results").GetRawText());
        var completed = stream.Events.Named("thread.run.step.completed").First().Json();
        var result = Assert.Single(completed.GetProperty("step_details").GetProperty("tool_calls")[0].GetProperty("file_search").GetProperty("results").EnumerateArray());
        var part = Assert.Single(result.GetProperty("content").EnumerateArray());
        Assert.Equal("text", part.Str("type"));
        Assert.False(string.IsNullOrWhiteSpace(part.Str("text")));

        // The run's later reads ask again: without include[] the stored step has no content.
        var run = stream.Events.Named("thread.run.created").First().Json().Str("id");
        var stored = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps?order=asc")).Ok().Json.GetProperty("data")[0];
        Assert.False(stored.GetProperty("step_details").GetProperty("tool_calls")[0].GetProperty("file_search").GetProperty("results")[0].TryGetProperty("content", out _));
    }

    [Fact]
    public async Task The_include_of_a_create_holds_for_the_run_s_submit_stream_too_where_a_run_with_functions_searches()
    {
        // A run with a function and file_search searches in its answering round, after the tool
        // round: on the stream of the tool outputs' submit, which takes no include[] of its own.
        var assistant = await api.CreateAssistant(new { model = "gpt-4o", tools = new object[] { new { type = "file_search" }, StreamingApi.Function("get_weather") } });
        var thread = await api.CreateThread(new
        {
            messages = new[] { new { role = "user", content = "Weather, and the report?", attachments = new[] { new { file_id = "file-alpha", tools = new[] { new { type = "file_search" } } } } } },
        });
        var include = "?include[]=" + Uri.EscapeDataString("step_details.tool_calls[*].file_search.results[*].content");
        await using var created = await EventStream.Open(api, $"/v1/threads/{thread}/runs{include}", new { assistant_id = assistant, stream = true }, StreamingApi.Scenario("tool_call"));
        await api.Advance(StreamingApi.WholeRun);
        await created.ReadToEnd();

        await using var submitted = await EventStream.Open(api, $"/v1/threads/{thread}/runs/{created.RunId()}/submit_tool_outputs",
            new { tool_outputs = StreamingApi.OutputsFor(created.Events.Single("thread.run.requires_action")), stream = true });
        await api.Advance(StreamingApi.WholeRun);
        await submitted.ReadToEnd();

        var search = submitted.Events.Named("thread.run.step.completed").Select(e => e.Json())
            .Single(step => step.Str("type") == "tool_calls" && step.GetProperty("step_details").GetProperty("tool_calls")[0].Str("type") == "file_search");
        var result = Assert.Single(search.GetProperty("step_details").GetProperty("tool_calls")[0].GetProperty("file_search").GetProperty("results").EnumerateArray());
        Assert.Equal("text", Assert.Single(result.GetProperty("content").EnumerateArray()).Str("type"));
    }
}
