using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>A tool round: the create stream ends at requires_action, the submit stream carries on (spec/runs.md §9.4).</summary>
public sealed class ToolRoundStreamTests(ToolRoundStreamTests.Server factory) : IClassFixture<ToolRoundStreamTests.Server>
{
    /// <summary>A scenario with two tool rounds before the answer.</summary>
    public sealed class Server() : MockServerFactory(new Dictionary<string, string?>
    {
        ["Mock:Scenarios:two_rounds:Outcome"] = "tool_call",
        ["Mock:Scenarios:two_rounds:ToolCalls"] = "2",
    });

    private readonly ApiClient api = factory.Api();

    private async Task<(string Thread, EventStream Stream)> RequiresAction(string scenario = "tool_call", params string[] functions)
    {
        var (thread, stream) = await api.OpenRun(await api.CreateToolAssistant(functions), scenario);
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();
        return (thread, stream);
    }

    private async Task<EventStream> Submit(string thread, EventStream created) =>
        await EventStream.Open(api, $"/v1/threads/{thread}/runs/{created.RunId()}/submit_tool_outputs",
            new { tool_outputs = StreamingApi.OutputsFor(created.Events.Single("thread.run.requires_action")), stream = true });

    private static List<JsonElement> CallDeltas(EventStream stream) => stream.Events.Named("thread.run.step.delta")
        .Select(e => e.Json().GetProperty("delta").GetProperty("step_details").GetProperty("tool_calls").EnumerateArray().Single())
        .ToList();

    [SpecFact]
    public async Task A_tool_round_streams_up_to_requires_action_then_done_and_every_payload_fits_the_spec()
    {
        var (_, stream) = await RequiresAction();
        await using var _ = stream;

        OpenApiSchemas.AssertMatchesEventStream(stream.Raw);
        Assert.Equal(
            StreamingApi.Sequence(StreamingApi.Start, ["thread.run.step.created", "thread.run.step.in_progress", "thread.run.step.delta+", "thread.run.requires_action", "done"]),
            stream.Events.Squashed());
    }

    [Fact]
    public async Task The_tool_step_is_created_with_no_calls_and_stays_in_progress()
    {
        var (thread, stream) = await RequiresAction();
        await using var _ = stream;

        var created = stream.Events.Single("thread.run.step.created");
        Assert.Equal("tool_calls", created.Str("type"));
        Assert.Equal(0, created.GetProperty("step_details").GetProperty("tool_calls").GetArrayLength());
        var stored = (await api.Get($"/v1/threads/{thread}/runs/{stream.RunId()}/steps/{created.Str("id")}")).Ok().Json;
        Assert.Equal("in_progress", stored.Str("status"));
        Assert.All(stream.Events.Named("thread.run.step.delta"), e => Assert.Equal(created.Str("id"), e.Json().Str("id")));
    }

    [Fact]
    public async Task A_calls_first_delta_carries_its_id_name_empty_arguments_and_null_output_and_later_ones_only_arguments()
    {
        var (_, stream) = await RequiresAction();
        await using var _ = stream;

        var deltas = CallDeltas(stream);
        var call = stream.Events.Single("thread.run.requires_action").GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")[0];
        var first = deltas[0];
        Assert.Equal((0, "function", call.Str("id")), (first.GetProperty("index").GetInt32(), first.Str("type"), first.Str("id")));
        Assert.Equal(call.GetProperty("function").Str("name"), first.GetProperty("function").Str("name"));
        Assert.Equal("", first.GetProperty("function").Str("arguments"));
        Assert.True(first.GetProperty("function").IsNull("output"));
        Assert.True(deltas.Count > 1, "expected the arguments after the first delta");
        Assert.All(deltas.Skip(1), delta =>
        {
            Assert.False(delta.TryGetProperty("id", out var _));
            Assert.Equal(["arguments"], delta.GetProperty("function").EnumerateObject().Select(p => p.Name));
        });
    }

    [Fact]
    public async Task Parallel_calls_stream_each_calls_pieces_under_its_index_adding_up_to_its_arguments()
    {
        var (_, stream) = await RequiresAction("tool_call", "get_weather", "get_tides");
        await using var _ = stream;

        var calls = stream.Events.Single("thread.run.requires_action").GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls");
        Assert.Equal(2, calls.GetArrayLength());
        var deltas = CallDeltas(stream);
        for (var index = 0; index < 2; index++)
        {
            var mine = deltas.Where(d => d.GetProperty("index").GetInt32() == index).ToList();
            Assert.Equal(calls[index].Str("id"), Assert.Single(mine, d => d.TryGetProperty("id", out var _)).Str("id"));
            Assert.Equal(calls[index].GetProperty("function").Str("name"), Assert.Single(mine, d => d.GetProperty("function").TryGetProperty("name", out var _)).GetProperty("function").Str("name"));
            Assert.Equal(calls[index].GetProperty("function").Str("arguments"), string.Concat(mine.Select(d => d.GetProperty("function").Str("arguments"))));
        }
    }

    [SpecFact]
    public async Task Submitting_with_stream_continues_with_step_completed_queued_in_progress_and_the_answer()
    {
        var (thread, created) = await RequiresAction();
        await using var _ = created;
        await using var submitted = await Submit(thread, created);
        await api.Advance(StreamingApi.WholeRun);
        await submitted.ReadToEnd();

        OpenApiSchemas.AssertMatchesEventStream(submitted.Raw);
        Assert.Equal(
            StreamingApi.Sequence(["thread.run.step.completed", "thread.run.queued", "thread.run.in_progress"], StreamingApi.MessageCreation, ["thread.run.completed", "done"]),
            submitted.Events.Squashed());
    }

    [Fact]
    public async Task The_submit_stream_completes_the_tool_step_with_outputs_and_re_stamps_started_at_only_at_in_progress()
    {
        var (thread, created) = await RequiresAction();
        await using var _ = created;
        await using var submitted = await Submit(thread, created);
        var before = await submitted.Read(2);
        var afterSubmit = await api.GetRun(thread, created.RunId());
        await api.Advance(StreamingApi.WholeRun);
        await submitted.ReadToEnd();

        var step = before[0].Json();
        Assert.Equal((created.Events.Single("thread.run.step.created").Str("id"), "completed"), (step.Str("id"), step.Str("status")));
        Assert.Equal("sunny", step.GetProperty("step_details").GetProperty("tool_calls")[0].GetProperty("function").Str("output"));
        Assert.False(step.IsNull("usage"));
        var queued = before[1].Json();
        var firstStart = created.Events.Single("thread.run.in_progress").Long("started_at");
        Assert.Equal(("queued", firstStart), (queued.Status(), queued.Long("started_at")));
        Assert.True(queued.IsNull("required_action"));
        Assert.Equal(afterSubmit.GetRawText(), queued.GetRawText());
        Assert.True(submitted.Events.Single("thread.run.in_progress").Long("started_at") > firstStart);
    }

    [Fact]
    public async Task The_answers_deltas_in_the_submit_stream_add_up_to_the_stored_message()
    {
        var (thread, created) = await RequiresAction();
        await using var _ = created;
        await using var submitted = await Submit(thread, created);
        await api.Advance(StreamingApi.WholeRun);
        await submitted.ReadToEnd();

        var message = submitted.Events.Single("thread.message.completed").Str("id");
        Assert.Equal(await api.MessageText(thread, message), submitted.Events.DeltaText());
    }

    [Fact]
    public async Task Another_tool_round_ends_the_submit_stream_with_requires_action_and_done()
    {
        var (thread, created) = await RequiresAction("two_rounds");
        await using var _ = created;
        await using var submitted = await Submit(thread, created);
        await api.Advance(StreamingApi.WholeRun);
        await submitted.ReadToEnd();

        Assert.Equal(
            ["thread.run.step.completed", "thread.run.queued", "thread.run.in_progress", "thread.run.step.created", "thread.run.step.in_progress",
             "thread.run.step.delta+", "thread.run.requires_action", "done"],
            submitted.Events.Squashed());
        Assert.NotEqual(created.Events.Single("thread.run.step.created").Str("id"), submitted.Events.Single("thread.run.step.created").Str("id"));
    }
}
