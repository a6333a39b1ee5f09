using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>A forced transition keeps the stream valid for the SDK parsers: no delta without its step, no object that vanishes.</summary>
public sealed class ForcedTransitionStreamTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task Forcing_requires_action_mid_message_ends_the_message_and_announces_the_tool_step_first()
    {
        var assistant = await api.CreateToolAssistant("get_weather");
        var (_, stream) = await api.OpenRun(assistant, "complete");
        await using var _ = stream;
        await api.Advance(1);
        await stream.ReadUntil("thread.message.in_progress");

        (await api.Post($"/_mock/runs/{stream.RunId()}/transition", new { status = "requires_action" })).Ok();
        var events = await stream.ReadToEnd();
        var names = events.Select(e => e.Event).ToList();

        var incomplete = names.IndexOf("thread.message.incomplete");
        var cancelled = names.IndexOf("thread.run.step.cancelled");
        var created = names.LastIndexOf("thread.run.step.created");
        var delta = names.IndexOf("thread.run.step.delta");
        Assert.True(incomplete >= 0 && incomplete < cancelled && cancelled < created && created < delta, string.Join(", ", names));
        Assert.Equal(["thread.run.requires_action", "done"], names[^2..]);
        OpenApiSchemas.AssertMatchesEventStream(string.Concat(stream.Events.Select(e => $"event: {e.Event}\ndata: {e.Data}\n\n")));
    }
}
