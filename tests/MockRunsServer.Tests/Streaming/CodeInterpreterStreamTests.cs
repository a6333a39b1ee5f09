using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>A run that runs code streams its code step before the answer's: the input in pieces, then the outputs.</summary>
public sealed class CodeInterpreterStreamTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task Input_pieces_never_split_an_emoji()
    {
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 20));
        var assistant = await api.CreateAssistant(new
        {
            model = "gpt-4o",
            tools = new[] { new { type = "code_interpreter" } },
            tool_resources = new { code_interpreter = new { file_ids = new[] { "file-x" + emoji } } },
        });
        await using var stream = await api.StreamToEnd(assistant);

        var pieces = stream.Events.Named("thread.run.step.delta")
            .Select(e => e.Json().GetProperty("delta").GetProperty("step_details").GetProperty("tool_calls")[0].GetProperty("code_interpreter"))
            .Where(code => code.TryGetProperty("input", out _))
            .Select(code => code.Str("input"))
            .ToList();
        Assert.All(pieces, piece => Assert.DoesNotContain('\uFFFD', piece));
        Assert.Contains(emoji, string.Concat(pieces));
    }

    [SpecFact]
    public async Task The_code_step_streams_its_input_in_pieces_then_its_outputs_and_every_payload_fits_the_spec()
    {
        var assistant = await api.CreateAssistant(new
        {
            model = "gpt-4o",
            tools = new[] { new { type = "code_interpreter" } },
            tool_resources = new { code_interpreter = new { file_ids = new[] { "file-sales" } } },
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

        var calls = stream.Events.Named("thread.run.step.delta")
            .Select(e => e.Json().GetProperty("delta").GetProperty("step_details").GetProperty("tool_calls")[0])
            .ToList();
        Assert.True(calls.Count >= 3, "expected the first delta, the input in pieces and the outputs");
        Assert.Equal("""{"input":"","outputs":[]}""", calls[0].GetProperty("code_interpreter").GetRawText());
        Assert.All(calls, call => Assert.Equal("code_interpreter", call.Str("type")));
        Assert.All(calls.Skip(1), call => Assert.False(call.TryGetProperty("id", out _)));
        var input = string.Concat(calls.Select(call => call.GetProperty("code_interpreter").TryGetProperty("input", out var piece) ? piece.GetString() : ""));
        var completed = stream.Events.Named("thread.run.step.completed").First().Json()
            .GetProperty("step_details").GetProperty("tool_calls")[0].GetProperty("code_interpreter");
        Assert.Equal(completed.Str("input"), input);
        var outputs = calls[^1].GetProperty("code_interpreter").GetProperty("outputs");
        Assert.Equal(0, outputs[0].GetProperty("index").GetInt32());
        Assert.Equal("logs", outputs[0].Str("type"));
        Assert.Equal(completed.GetProperty("outputs")[0].Str("logs"), outputs[0].Str("logs"));
    }
}
