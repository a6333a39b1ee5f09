using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>
/// On the manual clock a stream moves only when the clock does, and at every step it agrees with
/// what a GET shows. The scenario's fixed text splits into four known pieces (Chunks = 4, InProgress 2 s:
/// a piece every 0.5 s).
/// </summary>
public sealed class StreamPacingTests(StreamPacingTests.Server factory) : IClassFixture<StreamPacingTests.Server>
{
    public sealed class Server() : MockServerFactory(new Dictionary<string, string?>
    {
        ["Mock:Streaming:Chunks"] = "4",
        ["Mock:Scenarios:known_text:MessageText"] = "one two three four five six seven eight",
    });

    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task Each_clock_step_brings_exactly_the_events_of_the_transitions_it_passed()
    {
        var (_, stream) = await api.OpenRun(scenario: "known_text");
        await using var _ = stream;
        await stream.Read(2);

        await api.Advance(0.5);
        Assert.Equal(["thread.run.in_progress", "thread.run.step.created", "thread.run.step.in_progress", "thread.message.created", "thread.message.in_progress"],
            (await stream.Read(5)).Select(e => e.Event));
        foreach (var piece in new[] { "one two three", " four five", " six seven" })
        {
            await api.Advance(0.5);
            var delta = Assert.Single(await stream.Read(1));
            Assert.Equal(("thread.message.delta", piece), (delta.Event, new[] { delta }.DeltaText()));
        }
        await api.Advance(0.5);
        Assert.Equal(["thread.message.delta", "thread.message.completed", "thread.run.step.completed", "thread.run.completed", "done"],
            (await stream.Read(5)).Select(e => e.Event));
    }

    [Fact]
    public async Task A_clock_step_that_passes_no_transition_brings_no_event()
    {
        var (_, stream) = await api.OpenRun(scenario: "known_text");
        await using var _ = stream;
        await stream.Read(2);
        await api.Advance(0.25);
        await api.Advance(0.24);
        await api.Advance(0.01);

        var next = await stream.Next();

        Assert.Equal("thread.run.in_progress", next?.Event);
    }

    [Fact]
    public async Task At_every_step_a_GET_shows_the_text_the_deltas_have_revealed_and_the_last_streamed_run_status()
    {
        var (thread, stream) = await api.OpenRun(scenario: "known_text");
        await using var _ = stream;
        await stream.Read(2);
        await api.Advance(0.5);
        await stream.Read(5);
        var messageId = stream.Events.Single("thread.message.created").Str("id");

        for (var step = 0; step < 4; step++)
        {
            Assert.Equal(stream.Events.DeltaText(), await api.MessageText(thread, messageId));
            var lastRunEvent = stream.Events.Last(e => e.Event.StartsWith("thread.run.", StringComparison.Ordinal) && !e.Event.StartsWith("thread.run.step", StringComparison.Ordinal));
            Assert.Equal(lastRunEvent.Json().Status(), (await api.GetRun(thread, stream.RunId())).Status());
            await api.Advance(0.5);
            await stream.ReadUntil("thread.message.delta");
        }
        await stream.ReadToEnd();

        Assert.Equal("one two three four five six seven eight", await api.MessageText(thread, messageId));
        Assert.Equal(stream.Events.DeltaText(), await api.MessageText(thread, messageId));
        Assert.Equal("completed", (await api.GetRun(thread, stream.RunId())).Status());
    }
}
